import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConnectionFile, type ConnectionFile } from './connection-file';

const repoRoot = resolve(__dirname, '..', '..', '..');
const mainScript = resolve(__dirname, 'main.ts');
const READY = /^devnet ready at (\S+); connection file: (.+)$/;

export interface SpawnDevnetOptions {
  readonly dataDir: string;
  /** Default 7051; 0 = any free port. */
  readonly port?: number;
  /** Default: CareLedger's chaincode (built if needed, registry bootstrapped). */
  readonly chaincodeDir?: string;
  readonly chaincodeName?: string;
  readonly policy?: string;
  readonly batchSize?: number;
  readonly batchTimeoutMs?: number;
  readonly logLevel?: string;
  /** Each line the devnet logs (pino JSON); default: written to this process's stderr. */
  readonly onLog?: (line: string) => void;
  /** Extra Node.js flags for the devnet process (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** How long to wait for readiness; default 120 s (a first start may build the chaincode). */
  readonly startTimeoutMs?: number;
}

/** A devnet running in a child process. */
export interface DevnetProcess {
  readonly pid: number;
  readonly endpoint: string;
  readonly connectionFilePath: string;
  readonly connection: ConnectionFile;
  /** SIGTERM, then wait for the exit (committed blocks are kept). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would end it. */
  kill(): Promise<void>;
}

/**
 * Starts `npm run devnet` as a child process and resolves once it serves. Use this, not
 * `startDevnet`, in a process that also loads `@hyperledger/fabric-gateway`: that package
 * brings its own copy of fabric-protos, and two copies in one process break each other's
 * generated gRPC stubs (the chaincode stream fails with "Expected argument of type
 * protos.ChaincodeMessage").
 * @throws Error with the devnet's last output if it exits or does not become ready in time.
 */
export async function spawnDevnet(options: SpawnDevnetOptions): Promise<DevnetProcess> {
  const args = [
    ...(options.nodeArgs ?? []),
    '--require',
    'tsx/cjs',
    mainScript,
    '--data-dir',
    resolve(options.dataDir),
  ];
  const flag = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) args.push(`--${name}`, String(value));
  };
  flag('port', options.port);
  flag('chaincode', options.chaincodeDir === undefined ? undefined : resolve(options.chaincodeDir));
  flag('chaincode-name', options.chaincodeName);
  flag('policy', options.policy);
  flag('batch-size', options.batchSize);
  flag('batch-timeout-ms', options.batchTimeoutMs);
  flag('log-level', options.logLevel);
  // `node --require tsx/cjs` rather than the tsx binary, which forks (signals must reach the
  // devnet), or `--import tsx`, whose module hooks run in a thread of their own (about 25 MB more).
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const onLog = options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tail: string[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const ready = new Promise<{ endpoint: string; file: string }>((done, fail) => {
    const lines = (stream: NodeJS.ReadableStream, isStdout: boolean): void => {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          const match = isStdout ? READY.exec(line) : null;
          if (match?.[1] !== undefined && match[2] !== undefined)
            done({ endpoint: match[1], file: match[2] });
          else if (line.trim() !== '') {
            tail.push(line);
            tail.splice(0, Math.max(0, tail.length - 20));
            onLog(line);
          }
          newline = buffered.indexOf('\n');
        }
      });
    };
    lines(child.stdout, true);
    lines(child.stderr, false);
    void exited.then((code) =>
      fail(new Error(`the devnet exited (code ${code}) before it was ready:\n${tail.join('\n')}`)),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`the devnet was not ready within ${options.startTimeoutMs ?? 120_000} ms`)),
      options.startTimeoutMs ?? 120_000,
    );
  });
  try {
    const { endpoint, file } = await Promise.race([ready, timeout]);
    const connection = await loadConnectionFile(file);
    return {
      pid: child.pid ?? -1,
      endpoint,
      connectionFilePath: file,
      connection,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
