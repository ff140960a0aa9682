import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gateway, Identity, Signer } from '@hyperledger/fabric-gateway';
import { clientFor, identityNamed, type ConnectionFile } from '@careledger/fabric-toolkit';
import { spawnDevnet } from '../../src/spawn-devnet';

export const gatewayChaincodeDir = join(__dirname, '..', 'fixtures', 'gateway-chaincode');
const fourOrgDevnet = join(__dirname, '..', 'fixtures', 'four-org-devnet.ts');

export interface TestDevnet {
  readonly dataDir: string;
  readonly connection: ConnectionFile;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
  /** SIGKILL: as if the machine lost power. */
  kill(): Promise<void>;
}

export interface TestDevnetOptions {
  readonly dataDir?: string;
  /** Default: the gateway test chaincode. */
  readonly chaincodeDir?: string;
  readonly chaincodeName?: string;
  readonly policy?: string;
  /** Block cutting (`--batch-size`, `--batch-timeout-ms`, `--preferred-max-bytes`, `--absolute-max-bytes`). */
  readonly batch?: {
    readonly size?: number;
    readonly timeoutMs?: number;
    readonly preferredMaxBytes?: number;
    readonly absoluteMaxBytes?: number;
  };
}

/**
 * Starts a devnet of four organisations (`fixtures/four-org-devnet.ts`) in a child process through
 * `spawnDevnet`, as applications meet it.
 */
export async function startTestDevnet(options: TestDevnetOptions = {}): Promise<TestDevnet> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'devnet-test-')));
  const child = await spawnDevnet({
    script: fourOrgDevnet,
    dataDir,
    port: 0,
    logLevel: process.env.DEVNET_TEST_LOG ?? 'warn',
    // The chaincode logs every error it returns; shown only when DEVNET_TEST_LOG asks for logs.
    onLog:
      process.env.DEVNET_TEST_LOG === undefined
        ? () => undefined
        : (line) => process.stderr.write(`${line}\n`),
    chaincodeDir: options.chaincodeDir ?? gatewayChaincodeDir,
    chaincodeName: options.chaincodeName ?? 'basic',
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.batch?.size === undefined ? {} : { batchSize: options.batch.size }),
    ...(options.batch?.timeoutMs === undefined ? {} : { batchTimeoutMs: options.batch.timeoutMs }),
    ...(options.batch?.preferredMaxBytes === undefined
      ? {}
      : { preferredMaxBytes: options.batch.preferredMaxBytes }),
    ...(options.batch?.absoluteMaxBytes === undefined
      ? {}
      : { absoluteMaxBytes: options.batch.absoluteMaxBytes }),
  });
  return { dataDir, connection: child.connection, stop: () => child.stop(), kill: () => child.kill() };
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

/** The connection file's identity of that name (the toolkit's `identityNamed`). */
export const findIdentity = identityNamed;

export interface ConnectedClient {
  readonly gateway: Gateway;
  readonly identity: Identity;
  close(): void;
}

/**
 * Connects as an identity of the connection file through the toolkit's `clientFor`, optionally
 * claiming another identity or signing with another signer (to test what the gateway refuses).
 */
export async function connectAs(
  connection: ConnectionFile,
  name: string,
  override?: { identity?: Identity; signer?: Signer },
): Promise<ConnectedClient> {
  const entry = findIdentity(connection, name);
  const privateKey = createPrivateKey(await readFile(entry.keyPath));
  const identity = override?.identity ?? { mspId: entry.mspId, credentials: await readFile(entry.certPath) };
  const client = clientFor(
    connection,
    { mspId: identity.mspId, certificatePem: identity.credentials, privateKey },
    {
      deadlines: { evaluateMs: 10_000, endorseMs: 15_000, submitMs: 10_000, commitStatusMs: 15_000 },
      ...(override?.signer ? { signing: { signer: override.signer } } : {}),
    },
  );
  return { gateway: client.gateway, identity, close: () => client.close() };
}

export const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
