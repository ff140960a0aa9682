import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** The embedded servers whose log lines a run keeps. */
export const serverNames = ['devnet', 'gateway'] as const;
export type ServerName = (typeof serverNames)[number];

/** The file of `server`'s lines for the run whose results start with `stem`. */
export function serverLogPath(stem: string, server: ServerName): string {
  return `${stem}-${server}.log`;
}

/**
 * The log lines (pino JSON, warnings and errors) of the processes an embedded run starts, one
 * file per process: `<stem>-devnet.log` and `<stem>-gateway.log`, next to the run's results, so
 * that failures counted in a round can be explained afterwards. Without a stem they are dropped.
 */
export class ServerLogs {
  readonly #stem: string | undefined;
  readonly #streams = new Map<ServerName, WriteStream>();

  constructor(stem: string | undefined) {
    this.#stem = stem;
  }

  /** The file of `server`, or undefined when lines are dropped. */
  path(server: ServerName): string | undefined {
    return this.#stem === undefined ? undefined : serverLogPath(this.#stem, server);
  }

  /** A sink for `server`'s lines; the file (and its directory) is created at the first line. */
  sink(server: ServerName): (line: string) => void {
    return (line) => {
      const path = this.path(server);
      if (path === undefined) return;
      let stream = this.#streams.get(server);
      if (stream === undefined) {
        mkdirSync(dirname(path), { recursive: true });
        stream = createWriteStream(path, { flags: 'a' });
        this.#streams.set(server, stream);
      }
      stream.write(`${line}\n`);
    };
  }

  /** Flushes and closes the files. */
  async close(): Promise<void> {
    const closing = [...this.#streams.values()].map(async (stream) => {
      stream.end();
      await once(stream, 'close');
    });
    this.#streams.clear();
    await Promise.all(closing);
  }
}
