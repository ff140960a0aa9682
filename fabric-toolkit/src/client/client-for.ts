import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect, type Contract, type Gateway, type Network, type Signer } from '@hyperledger/fabric-gateway';
import { identityNamed, type ConnectionFile } from '../connection/connection-file';
import { nativeGatewaySigning, type GatewaySigning } from '../msp/native-gateway-signing';
import { endpointFor, targetOf, type FabricTarget } from './fabric-target';
import { GrpcConnections } from './grpc-connections';

/** A Fabric identity a client acts as: its MSP, certificate and private key. */
export interface FabricClientIdentity {
  readonly mspId: string;
  readonly certificatePem: string | Uint8Array;
  readonly privateKey: KeyObject;
}

/** Per-call deadlines, in ms, of each step of a transaction. */
export interface ClientDeadlines {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitStatusMs: number;
}

export const defaultDeadlines: ClientDeadlines = {
  evaluateMs: 30_000,
  endorseMs: 30_000,
  submitMs: 30_000,
  commitStatusMs: 30_000,
};

export interface ClientOptions {
  /** Shared gRPC connections (one per endpoint); without them the client opens and closes its own. */
  readonly connections?: GrpcConnections;
  readonly deadlines?: Partial<ClientDeadlines>;
  /**
   * A signer made already (e.g. cached with the identity), with its hash (none: fabric-gateway's
   * SHA-256); default a native low-S signer of the identity's key (`nativeGatewaySigning`).
   */
  readonly signing?: GatewaySigning | { readonly signer: Signer; readonly hash?: undefined };
}

/** A connected `@hyperledger/fabric-gateway` client on the target's channel. */
export interface FabricClient {
  readonly gateway: Gateway;
  readonly network: Network;
  readonly target: FabricTarget;
  /** The target's chaincode, or one contract (namespace) of it. */
  contract(contractName?: string): Contract;
  /** Closes the gateway, and the gRPC connection unless it was shared. */
  close(): void;
}

const isConnectionFile = (x: ConnectionFile | FabricTarget): x is ConnectionFile => 'gatewayEndpoint' in x;

/**
 * The one way CareLedger connects to a Fabric Gateway: as `identity`, to its organisation's own
 * peer when the target names one (else the gateway endpoint), over TLS with every CA of the
 * target, with native low-S signing and a deadline on every call.
 * @throws Error when a TLS CA file of the connection cannot be read.
 */
export function clientFor(
  connection: ConnectionFile | FabricTarget,
  identity: FabricClientIdentity,
  options: ClientOptions = {},
): FabricClient {
  const target = isConnectionFile(connection) ? targetOf(connection) : connection;
  const connections = options.connections ?? new GrpcConnections(target);
  const d = { ...defaultDeadlines, ...options.deadlines };
  const deadline = (ms: number) => () => ({ deadline: Date.now() + ms });
  const signing = options.signing ?? nativeGatewaySigning(identity.privateKey);
  const gateway = connect({
    client: connections.get(endpointFor(target, identity.mspId)),
    identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
    signer: signing.signer,
    ...(signing.hash ? { hash: signing.hash } : {}),
    evaluateOptions: deadline(d.evaluateMs),
    endorseOptions: deadline(d.endorseMs),
    submitOptions: deadline(d.submitMs),
    commitStatusOptions: deadline(d.commitStatusMs),
  });
  const network = gateway.getNetwork(target.channel);
  return {
    gateway,
    network,
    target,
    contract: (contractName) => network.getContract(target.chaincode, contractName),
    close: () => {
      gateway.close();
      if (options.connections === undefined) connections.close();
    },
  };
}

/**
 * `clientFor` as the connection file's identity `name`, its certificate and key read from the files
 * the connection file names.
 * @throws Error when the file has no such identity or its files cannot be read.
 */
export async function clientAs(
  connection: ConnectionFile,
  name: string,
  options: ClientOptions = {},
): Promise<FabricClient> {
  const identity = identityNamed(connection, name);
  return clientFor(
    connection,
    {
      mspId: identity.mspId,
      certificatePem: await readFile(identity.certPath),
      privateKey: createPrivateKey(await readFile(identity.keyPath)),
    },
    options,
  );
}
