import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Gateway, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import type { ConnectionFile, ConnectionIdentity } from '../../src/connection-file';
import { spawnDevnet } from '../../src/spawn-devnet';

export const gatewayChaincodeDir = join(__dirname, '..', 'fixtures', 'gateway-chaincode');

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
  /** Run CareLedger's own chaincode (built if needed, registry bootstrapped) instead. */
  readonly careledger?: boolean;
  readonly chaincodeName?: string;
  readonly policy?: string;
}

/**
 * Starts a devnet in a child process through `spawnDevnet` (as applications meet it; and two
 * copies of fabric-protos in one process would break each other's generated stubs).
 */
export async function startTestDevnet(options: TestDevnetOptions = {}): Promise<TestDevnet> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'devnet-test-')));
  const child = await spawnDevnet({
    dataDir,
    port: 0,
    logLevel: process.env.DEVNET_TEST_LOG ?? 'warn',
    // The chaincode logs every error it returns; shown only when DEVNET_TEST_LOG asks for logs.
    onLog:
      process.env.DEVNET_TEST_LOG === undefined
        ? () => undefined
        : (line) => process.stderr.write(`${line}\n`),
    ...(options.careledger === true ? {} : { chaincodeDir: options.chaincodeDir ?? gatewayChaincodeDir }),
    ...(options.chaincodeName === undefined ? {} : { chaincodeName: options.chaincodeName }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  });
  return { dataDir, connection: child.connection, stop: () => child.stop(), kill: () => child.kill() };
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

export function findIdentity(
  connection: ConnectionFile,
  name: string,
): ConnectionIdentity & { mspId: string } {
  for (const org of connection.organisations) {
    const found = org.identities.find((i) => i.name === name);
    if (found !== undefined) return { ...found, mspId: org.mspId };
  }
  throw new Error(`no identity ${name} in the connection file`);
}

export interface ConnectedClient {
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  readonly identity: Identity;
  readonly signer: Signer;
  close(): void;
}

/** Connects `@hyperledger/fabric-gateway` as an identity of the connection file, over TLS. */
export async function connectAs(
  connection: ConnectionFile,
  name: string,
  override?: { identity?: Identity; signer?: Signer },
): Promise<ConnectedClient> {
  const entry = findIdentity(connection, name);
  const tlsCa = await readFile(connection.tlsCaPath);
  const client = new grpc.Client(
    connection.gatewayEndpoint,
    grpc.credentials.createSsl(tlsCa),
    connection.hostnameOverride === undefined
      ? {}
      : { 'grpc.ssl_target_name_override': connection.hostnameOverride },
  );
  const identity = override?.identity ?? { mspId: entry.mspId, credentials: await readFile(entry.certPath) };
  const signer =
    override?.signer ?? signers.newPrivateKeySigner(createPrivateKey(await readFile(entry.keyPath)));
  const gateway = connect({
    client,
    identity,
    signer,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 15_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 15_000 }),
  });
  return {
    gateway,
    client,
    identity,
    signer,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

export const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
