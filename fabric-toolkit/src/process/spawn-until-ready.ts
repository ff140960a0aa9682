import { spawn } from 'node:child_process';

/** What a child tells its parent once it serves (`announceReady`), over the IPC channel. */
interface ReadyMessage<T> {
  readonly careledgerReady: T;
}

/**
 * Tells the parent that spawned this process with `spawnUntilReady` that it serves, with what
 * the parent needs (an endpoint, a URL, a file). Does nothing when there is no parent channel.
 */
export function announceReady<T extends object>(info: T): void {
  const message: ReadyMessage<T> = { careledgerReady: info };
  process.send?.(message);
}

export interface SpawnOptions {
  /** Who the process is, for messages (`the devnet`, `the REST gateway`). */
  readonly name: string;
  /** A TypeScript or JavaScript entry point, run with `node --require tsx/cjs`. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Extra Node.js flags (e.g. `--cpu-prof`, heap limits). */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Each line the process writes, and where; default: written to this process's stderr. */
  readonly onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How long to wait for readiness (default 120 s). */
  readonly timeoutMs?: number;
}

/** A process started with `spawnUntilReady` that has announced it serves. */
export interface ReadyProcess<T> {
  readonly pid: number;
  /** What the process announced. */
  readonly ready: T;
  /** SIGTERM, then wait for the exit. */
  readonly stop: () => Promise<void>;
  /** SIGKILL, as a crash would end it. */
  readonly kill: () => Promise<void>;
}

/**
 * Starts a Node.js entry point in a child process and resolves once it calls `announceReady`
 * (an IPC message: no banner is parsed). The child runs under `node --require tsx/cjs` rather
 * than the tsx binary, which forks (signals must reach the child), or `--import tsx`, whose module
 * hooks run in a thread of their own (about 25 MB more).
 * @throws Error with the child's last output lines when it exits or is not ready in time.
 */
export async function spawnUntilReady<T>(options: SpawnOptions): Promise<ReadyProcess<T>> {
  const args = [...(options.nodeArgs ?? []), '--require', 'tsx/cjs', options.script, ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const onLog = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tail: string[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  for (const [name, stream] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim() === '') continue;
        tail.push(line);
        tail.splice(0, Math.max(0, tail.length - 20));
        onLog(line, name);
      }
    });
  }
  const ready = new Promise<T>((done, fail) => {
    child.on('message', (message: Partial<ReadyMessage<T>>) => {
      if (message.careledgerReady !== undefined) done(message.careledgerReady);
    });
    void exited.then((code) =>
      fail(new Error(`${options.name} exited (code ${code}) before it was ready:\n${tail.join('\n')}`)),
    );
  });
  const timeoutMs = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`${options.name} was not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  try {
    const info = await Promise.race([ready, timeout]);
    // The channel has done its work; an open one would keep this process's event loop alive.
    child.disconnect();
    return {
      pid: child.pid ?? -1,
      ready: info,
      stop: () => signal('SIGTERM'),
      kill: () => signal('SIGKILL'),
    };
  } catch (err) {
    await signal('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
