import { resolve } from 'node:path';
import { loadConnectionFile, spawnUntilReady, type ConnectionFile } from '@careledger/fabric-toolkit';

const genericCli = resolve(__dirname, 'main.ts');

export interface SpawnDevnetOptions {
  readonly dataDir: string;
  /**
   * The devnet command to run: a script that calls `runDevnetCli` with an application's profile
   * (organisations, chaincode defaults, bootstrap). Default: the generic emulator's (`main.ts`).
   */
  readonly script?: string;
  /** Default 7051; 0 = any free port. */
  readonly port?: number;
  /** A network configuration file (`--config`): organisations, channel, chaincodes. */
  readonly configFile?: string;
  /** Default: the script's (the generic emulator has none: give one). */
  readonly chaincodeDir?: string;
  readonly chaincodeName?: string;
  readonly policy?: string;
  readonly batchSize?: number;
  readonly batchTimeoutMs?: number;
  readonly preferredMaxBytes?: number;
  readonly absoluteMaxBytes?: number;
  /** `--gateway-concurrency`: Gateway calls in flight at most (default 500, Fabric's). */
  readonly gatewayConcurrency?: number;
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
  readonly dataDir: string;
  readonly connectionFilePath: string;
  readonly connection: ConnectionFile;
  /** SIGTERM, then wait for the exit (committed blocks are kept). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would end it. */
  kill(): Promise<void>;
}

/**
 * Starts a devnet command in a child process and resolves once it serves (it announces its
 * endpoint over the IPC channel). A separate process shares no event loop with its clients, which
 * is what a benchmark or a crash test needs; in-process (`startDevnet`) is as correct otherwise.
 * @throws Error with the devnet's last output if it exits or does not become ready in time.
 */
export async function spawnDevnet(options: SpawnDevnetOptions): Promise<DevnetProcess> {
  const dataDir = resolve(options.dataDir);
  const args = ['--data-dir', dataDir];
  const flag = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) args.push(`--${name}`, String(value));
  };
  flag('port', options.port);
  flag('config', options.configFile === undefined ? undefined : resolve(options.configFile));
  flag('chaincode', options.chaincodeDir === undefined ? undefined : resolve(options.chaincodeDir));
  flag('chaincode-name', options.chaincodeName);
  flag('policy', options.policy);
  flag('batch-size', options.batchSize);
  flag('batch-timeout-ms', options.batchTimeoutMs);
  flag('preferred-max-bytes', options.preferredMaxBytes);
  flag('absolute-max-bytes', options.absoluteMaxBytes);
  flag('gateway-concurrency', options.gatewayConcurrency);
  flag('log-level', options.logLevel);
  const child = await spawnUntilReady<{ endpoint: string; connectionFilePath: string }>({
    name: 'the devnet',
    script: options.script ?? genericCli,
    args,
    nodeArgs: options.nodeArgs,
    // Its log lines; the banner for the person at a terminal is not one.
    onLog: (line) => {
      if (!line.startsWith('devnet ready at '))
        (options.onLog ?? ((l) => process.stderr.write(`${l}\n`)))(line);
    },
    timeoutMs: options.startTimeoutMs ?? 120_000,
  });
  try {
    const { endpoint, connectionFilePath } = child.ready;
    return {
      pid: child.pid,
      endpoint,
      dataDir,
      connectionFilePath,
      connection: await loadConnectionFile(connectionFilePath),
      stop: child.stop,
      kill: child.kill,
    };
  } catch (err) {
    await child.kill();
    throw err;
  }
}
