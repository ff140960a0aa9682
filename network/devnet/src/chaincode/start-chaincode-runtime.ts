import type { Logger } from 'pino';
import type { ChaincodeRuntime } from './chaincode-runtime';
import { ChaincodeProcess } from './chaincode-process';
import { StreamChaincodeRuntime } from './stream-chaincode-runtime';
import { freePort, parseAddress } from './tcp-port';

export interface ChaincodeRuntimeOptions {
  /** Chaincode name: the name clients address and the ledger namespace. */
  readonly name: string;
  /** Chaincode definition version, non-empty. */
  readonly version: string;
  /** The devnet's logger; the runtime logs through a child `{ chaincode: name }`. */
  readonly logger: Logger;
  /**
   * Spawn `fabric-chaincode-node server` in this Node chaincode directory (its package.json
   * `main` must exist, so build it first). Exactly one of `chaincodeDir` and `address`.
   */
  readonly chaincodeDir?: string;
  /** Connect to a chaincode server that is already running at host:port; nothing is spawned. */
  readonly address?: string;
  /** Host the spawned chaincode binds; default 127.0.0.1. */
  readonly host?: string;
  /** `--chaincode-id` for a spawned chaincode; default `<name>:<version>`. */
  readonly chaincodeId?: string;
  /** Fabric's chaincode.executetimeout; default 30 000 ms. */
  readonly executeTimeoutMs?: number;
  /** How long the chaincode may take to listen and register; default 30 000 ms. */
  readonly startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on close; default 5 000 ms. */
  readonly stopGraceMs?: number;
  /** Fabric's ledger.state.totalQueryLimit; default 100 000. */
  readonly totalQueryLimit?: number;
  /**
   * Extra environment for a spawned chaincode. `CORE_CHAINCODE_LOGGING_LEVEL` defaults to
   * `WARNING` so the shim does not log every transaction.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** fabric-shim's cli.js; default: found from `chaincodeDir` upwards. */
  readonly shimCliPath?: string;
  /** Other runtimes on the channel, for same-channel chaincode-to-chaincode calls. */
  readonly resolveChaincode?: (name: string) => ChaincodeRuntime | undefined;
}

/**
 * Starts a chaincode runtime: spawns the chaincode as a service (or takes a running one's
 * address), waits until it listens, dials `/protos.Chaincode/Connect` and completes the
 * REGISTER / REGISTERED / READY handshake.
 * @throws Error on bad options, an unbuilt chaincode directory, a chaincode that exits early
 *   (the message carries its last output) or one that does not register in time; a spawned
 *   process is stopped before the error is thrown.
 */
export async function startChaincodeRuntime(options: ChaincodeRuntimeOptions): Promise<ChaincodeRuntime> {
  validate(options);
  const logger = options.logger.child({ chaincode: options.name });
  const common = {
    name: options.name,
    version: options.version,
    logger,
    executeTimeoutMs: options.executeTimeoutMs ?? 30_000,
    connectTimeoutMs: options.startTimeoutMs ?? 30_000,
    totalQueryLimit: options.totalQueryLimit ?? 100_000,
    stopGraceMs: options.stopGraceMs ?? 5_000,
    ...(options.resolveChaincode === undefined ? {} : { resolveChaincode: options.resolveChaincode }),
  };
  if (options.address !== undefined) {
    const runtime = new StreamChaincodeRuntime({ ...common, address: options.address });
    await runtime.connect();
    return runtime;
  }
  const host = options.host ?? '127.0.0.1';
  const address = `${host.includes(':') ? `[${host}]` : host}:${await freePort(host)}`;
  const process = ChaincodeProcess.spawn({
    chaincodeDir: options.chaincodeDir as string,
    address,
    chaincodeId: options.chaincodeId ?? `${options.name}:${options.version}`,
    logger,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.shimCliPath === undefined ? {} : { shimCliPath: options.shimCliPath }),
  });
  const runtime = new StreamChaincodeRuntime({ ...common, address, process });
  try {
    await runtime.connect();
  } catch (err) {
    await runtime.close();
    throw err;
  }
  logger.info({ address, pid: process.pid }, 'chaincode started');
  return runtime;
}

function validate(options: ChaincodeRuntimeOptions): void {
  if (options.name.trim() === '') throw new Error('chaincode name must not be empty');
  if (options.version.trim() === '') throw new Error(`chaincode ${options.name}: version must not be empty`);
  if ((options.chaincodeDir === undefined) === (options.address === undefined)) {
    throw new Error(`chaincode ${options.name}: give exactly one of chaincodeDir and address`);
  }
  if (options.address !== undefined) parseAddress(options.address);
  for (const [field, value] of Object.entries({
    executeTimeoutMs: options.executeTimeoutMs,
    startTimeoutMs: options.startTimeoutMs,
    stopGraceMs: options.stopGraceMs,
    totalQueryLimit: options.totalQueryLimit,
  })) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new Error(`chaincode ${options.name}: ${field} must be a positive integer, got ${String(value)}`);
    }
  }
}
