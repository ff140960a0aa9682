import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { startChaincodeRuntime } from './chaincode/start-chaincode-runtime';
import { freePort } from './chaincode/tcp-port';
import type { ChaincodeRuntime } from './chaincode/chaincode-runtime';
import {
  writeConnectionFile,
  writeConnectionProfiles,
  type ConnectionFile,
} from '@careledger/fabric-toolkit';
import { channelMembers } from './channel-members';
import type { CryptoProvider, DevnetOrganisation } from './devnet-crypto';
import { BlockNotifier } from './gateway-service/block-notifier';
import { EndorsingPeer } from './gateway-service/endorsing-peer';
import type { GatewayContext } from './gateway-service/gateway-context';
import { startGatewayServer, type GatewayServer } from './gateway-service/gateway-server';
import type { BatchSettings } from './gateway-service/block-cutter';
import { Orderer } from './gateway-service/orderer';
import {
  evaluateLocalTransaction,
  submitLocalTransaction,
  type LocalTransactionOptions,
} from './gateway-service/local-transaction';
import type { TxStatus } from './ledger/ledger';
import { openLedger, type DevnetLedger } from './ledger';
import { chaincodePolicy, type EndorsementPolicySpec } from './policy/chaincode-policy';
import type { common } from '@hyperledger/fabric-protos';
import { collectionConfigFileSchema, type CollectionConfigInput } from './network-config/collection-config';

export interface DevnetChaincode {
  /** Name clients address, e.g. `careledger`. */
  readonly name: string;
  /** A built Node chaincode directory (package.json `main` must exist). */
  readonly dir: string;
  /** Definition version; default `1.0`. A change is recorded in a config block at start. */
  readonly version?: string;
  /** Chaincode-level endorsement policy; default `MAJORITY`. */
  readonly policy?: EndorsementPolicySpec;
  /**
   * Explicit private data collections (Fabric's collection-config JSON), besides the implicit ones.
   * Part of the definition: a change is recorded at start with the next sequence.
   */
  readonly collections?: readonly CollectionConfigInput[];
}

export interface DevnetOptions {
  /** Where crypto material, the ledger and `connection.json` live (created if missing). */
  readonly dataDir: string;
  /** Key material: generated on first start, loaded afterwards. */
  readonly crypto: CryptoProvider;
  /** The chaincodes deployed on the channel, each in a process of its own; the first is the connection file's. */
  readonly chaincodes: readonly DevnetChaincode[];
  /**
   * The format of the data the application's chaincodes store, recorded when the ledger is
   * created. Name a new one when the stored data changes incompatibly: a ledger of another
   * format (or one with blocks and none recorded, reported as format 1) is then refused at
   * start with `LedgerDataFormatError`, unchanged. Unset: nothing is recorded or checked.
   */
  readonly dataFormat?: string;
  /** Gateway port; 0 picks a free one. Default 7051. */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Default `healthchannel`. */
  readonly channel?: string;
  /** The application organisations, one peer each. */
  readonly organisations: readonly DevnetOrganisation[];
  /**
   * Block cutting with Fabric's settings and rules (see `Orderer`, `defaultBatchSettings`: 500
   * transactions, 10 MB, 2 MB, 20 ms).
   */
  readonly batch?: Partial<BatchSettings>;
  /**
   * Calls in flight per service, as Fabric's `peer.limits.concurrency` (gatewayService 500,
   * deliverService 2500 by default; 0 = none): one more is refused at once.
   */
  readonly limits?: { readonly gatewayService?: number; readonly deliverService?: number };
  /** fsync each block (default true). */
  readonly syncWrites?: boolean;
  /** Runs once the gateway serves, before `startDevnet` resolves (e.g. an application's bootstrap transaction). */
  readonly onReady?: (devnet: Devnet) => Promise<void>;
  readonly logger?: Logger;
}

/**
 * Whether the network can take transactions, in the shape of a Fabric peer's operations
 * `/healthz` answer: `OK`, or `Service Unavailable` with the failed checks.
 */
export type DevnetHealth =
  | { readonly status: 'OK' }
  | {
      readonly status: 'Service Unavailable';
      readonly failedChecks: readonly { readonly component: string; readonly reason: string }[];
    };

/** A running embedded network. */
export interface Devnet {
  /** `host:port` of the gateway. */
  readonly endpoint: string;
  readonly port: number;
  readonly connectionFilePath: string;
  readonly connection: ConnectionFile;
  readonly ledger: DevnetLedger;
  /** Evaluates a transaction from inside the process (no gRPC hop) and answers its result. */
  evaluateLocal(options: Omit<LocalTransactionOptions, 'timeoutMs'>): Promise<Buffer>;
  /** Submits a transaction from inside the process (no gRPC hop) and waits for its commit. */
  submitLocal(
    options: LocalTransactionOptions,
  ): Promise<{ readonly status: TxStatus; readonly result: Buffer }>;
  /** `Service Unavailable` while the ledger cannot write blocks (Submit then answers UNAVAILABLE). */
  health(): DevnetHealth;
  /** Stops serving, commits what was already submitted, stops the chaincode and closes the ledger. */
  stop(): Promise<void>;
}

/**
 * The chaincodes with their defaults (version `1.0`, policy `MAJORITY`), their collections in
 * Fabric's collection-config schema.
 * @throws Error when there is none, two share a name, or a collection config is not valid.
 */
function definitionsOf(chaincodes: readonly DevnetChaincode[]) {
  if (chaincodes.length === 0) throw new Error('the embedded network needs at least one chaincode');
  const names = new Set<string>();
  return chaincodes.map((cc) => {
    if (names.has(cc.name)) throw new Error(`two chaincodes are named ${cc.name}`);
    names.add(cc.name);
    const collections = collectionConfigFileSchema.safeParse(cc.collections ?? []);
    if (!collections.success) {
      const issue = collections.error.issues[0];
      throw new Error(
        `chaincode ${cc.name}: collections.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return {
      ...cc,
      collections: collections.data,
      version: cc.version ?? '1.0',
      policy: cc.policy ?? 'MAJORITY',
    };
  });
}

/**
 * Starts the embedded Fabric-compatible network: crypto material, ledger, chaincode
 * runtime, ordering service and the Fabric Gateway gRPC service (TLS), then writes
 * `<dataDir>/connection.json` and a common connection profile per organisation
 * (`<dataDir>/connection-<org>.json`).
 * @throws LedgerLockedError when another devnet uses `dataDir`; LedgerDataFormatError when its
 *   ledger holds another `chaincode.dataFormat`; CollectionConfigError for a collection config the
 *   network cannot serve, or a change of one Fabric refuses; Error when the port is taken
 *   or the chaincode cannot start. Whatever was started is stopped again first.
 */
export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const logger = options.logger ?? pino({ name: 'devnet' });
  const channelId = options.channel ?? 'healthchannel';
  const { organisations } = options;
  if (organisations.length === 0) throw new Error('the embedded network needs at least one organisation');
  const orgIds = organisations.map((o) => o.mspId);
  // Absolute, so the connection file (whose paths are relative to itself) names the right files.
  const dataDir = resolve(options.dataDir);
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (err) {
        logger.error({ err }, 'error while stopping the devnet');
      }
    }
    cleanup.length = 0;
  };

  try {
    await mkdir(dataDir, { recursive: true });
    const crypto = await options.crypto(dataDir, organisations);
    const chaincodes = definitionsOf(options.chaincodes);
    const ledger = await openLedger({
      dataDir: join(dataDir, 'ledger'),
      channelId,
      msp: crypto.registry,
      chaincodes: chaincodes.map(({ name, version, policy, collections }) => ({
        name,
        version,
        policy,
        collections,
      })),
      logger: logger.child({ component: 'ledger' }),
      orgs: orgIds,
      ...(options.dataFormat === undefined ? {} : { dataFormat: options.dataFormat }),
      ...(options.syncWrites === undefined ? {} : { syncWrites: options.syncWrites }),
    });
    cleanup.push(() => ledger.close());

    const runtimes = new Map<string, ChaincodeRuntime>();
    for (const cc of chaincodes) {
      const runtime = await startChaincodeRuntime({
        name: cc.name,
        version: cc.version,
        logger,
        chaincodeDir: cc.dir,
        // stub.getMspID() needs it; one chaincode process serves every organisation's peer.
        env: { CORE_PEER_LOCALMSPID: orgIds[0] ?? '' },
      });
      cleanup.push(() => runtime.close());
      runtimes.set(cc.name, runtime);
    }

    const policies = new Map<string, common.SignaturePolicyEnvelope>(
      chaincodes.map((cc) => [cc.name, chaincodePolicy(cc.policy, orgIds)]),
    );
    const notifier = new BlockNotifier(ledger);
    cleanup.push(async () => notifier.close());
    const orderer = new Orderer({ ledger, logger: logger.child({ component: 'orderer' }), ...options.batch });
    cleanup.push(() => orderer.stop());
    const host = options.host ?? '127.0.0.1';
    // Peers name their address in error details, so a free port is chosen before binding.
    const port = options.port === undefined ? 7051 : options.port === 0 ? await freePort(host) : options.port;
    const peers = crypto.peers.map(
      (p) =>
        new EndorsingPeer({
          address: `${p.hostname}:${port}`,
          identity: p.identity,
          verified: crypto.registry.validateIdentity(p.identity.serialized),
        }),
    );
    const ordererAddress = `orderer.careledger.local:${port}`;
    const context: GatewayContext = {
      ledger,
      msp: crypto.registry,
      peers,
      chaincode: (name) => runtimes.get(name),
      chaincodePolicy: (name) => policies.get(name),
      orderer,
      ordererAddress,
      ordererMspId: 'OrdererMSP',
      channel: await channelMembers(crypto, orgIds, ordererAddress, options.batch),
      notifier,
      logger: logger.child({ component: 'gateway' }),
    };
    const server: GatewayServer = await startGatewayServer({
      context,
      host,
      port,
      tls: { certificatePem: crypto.tls.certificatePem, keyPem: crypto.tls.keyPem },
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
    cleanup.push(() => server.close());

    // `localhost` rather than 127.0.0.1: TLS clients send the endpoint host as the server name (SNI).
    const endpointHost = host === '127.0.0.1' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    const endpoint = `${endpointHost}:${server.port}`;
    const connection: ConnectionFile = {
      version: 1,
      gatewayEndpoint: endpoint,
      tlsCaPath: crypto.tls.caPath,
      ...(crypto.tls.hostnameOverride === undefined ? {} : { hostnameOverride: crypto.tls.hostnameOverride }),
      channel: channelId,
      chaincode: chaincodes[0]!.name,
      organisations: organisations.map((org) => ({
        mspId: org.mspId,
        type: org.type,
        identities: [...(crypto.identities.get(org.mspId) ?? [])],
      })),
    };
    const connectionFilePath = join(dataDir, 'connection.json');
    await writeConnectionFile(connectionFilePath, connection);
    // Fabric's common connection profiles beside it, for tools that read those.
    await writeConnectionProfiles(dataDir, connection);

    let stopping: Promise<void> | undefined;
    const devnet: Devnet = {
      endpoint,
      port: server.port,
      connectionFilePath,
      connection,
      ledger,
      evaluateLocal: (local) => evaluateLocalTransaction(context, local),
      submitLocal: (local) => submitLocalTransaction(context, local),
      health: () => {
        const failure = orderer.failure ?? ledger.writeFailure();
        return failure === undefined
          ? { status: 'OK' }
          : {
              status: 'Service Unavailable',
              failedChecks: [{ component: 'ledger', reason: `blocks cannot be written: ${failure.message}` }],
            };
      },
      stop: () => (stopping ??= stopAll().then(() => logger.info('devnet stopped'))),
    };
    if (options.onReady !== undefined) await options.onReady(devnet);
    logger.info(
      {
        endpoint,
        connectionFile: connectionFilePath,
        channel: channelId,
        chaincodes: chaincodes.map((cc) => `${cc.name}@${cc.version}`),
        height: Number(ledger.height()),
      },
      'devnet ready',
    );
    return devnet;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
