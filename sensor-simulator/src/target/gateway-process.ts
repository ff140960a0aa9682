import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..', '..');
const mainScript = resolve(repoRoot, 'gateway-api', 'src', 'main.ts');
const READY = /^CareLedger REST API: (http:\/\/\S+)$/;

/** The REST gateway running in its own process. */
export interface GatewayProcess {
  readonly pid: number;
  readonly url: string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the REST gateway (`gateway-api/src/main.ts`) against an existing network's connection
 * file, in a child process of its own, as it runs in production: it does not share an event
 * loop with the load generator or the network. Resolves with its URL once it serves.
 * @throws Error with the gateway's last output if it exits or is not ready within `timeoutMs`.
 */
export async function spawnGateway(options: {
  readonly connectionFile: string;
  readonly dataDir: string;
  readonly timeoutMs?: number;
  /** Extra Node.js flags for the gateway process (e.g. heap limits). */
  readonly nodeArgs?: readonly string[];
  /** Each line the gateway logs (pino JSON on stdout, anything on stderr); default: dropped. */
  readonly onLog?: (line: string) => void;
}): Promise<GatewayProcess> {
  const args = [
    ...(options.nodeArgs ?? []),
    '--require',
    'tsx/cjs',
    mainScript,
    '--connection',
    resolve(options.connectionFile),
    '--data-dir',
    resolve(options.dataDir),
    '--port',
    '0',
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const onLog = options.onLog ?? (() => undefined);
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  const url = new Promise<string>((done, fail) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const match = READY.exec(line.trim());
        if (match?.[1] !== undefined) done(match[1]);
        else if (line.startsWith('{')) onLog(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => {
          remember(line);
          onLog(line);
        }),
    );
    void exited.then((code) =>
      fail(new Error(`the REST gateway exited (code ${code}) before it was ready:\n${tail.join('\n')}`)),
    );
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`the REST gateway was not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    return { pid: child.pid ?? -1, url: await Promise.race([url, timeout]), stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
