import type { ConnectionFile } from '../connection/connection-file';
import { tlsRootsOf } from '../connection/connection-file';

/** Where a Fabric client connects, and what it calls there. */
export interface FabricTarget {
  /** The Fabric Gateway endpoint (host:port) of organisations without a peer of their own. */
  readonly endpoint: string;
  /** Each organisation's own peer gateway, by MSP ID: a caller connects to its organisation's peer. */
  readonly peerEndpoints: Readonly<Record<string, string>>;
  /** PEM bundle of every TLS CA to trust; absent for a plaintext endpoint. */
  readonly tlsRootsPem?: Buffer;
  /** TLS server name to verify instead of the endpoint host (`grpc.ssl_target_name_override`). */
  readonly hostnameOverride?: string;
  readonly channel: string;
  readonly chaincode: string;
}

/**
 * The target a connection file describes: its gateway, each organisation's own peer and every TLS
 * CA it names (the gateway's and each organisation's peers').
 * @throws Error when a TLS CA file cannot be read.
 */
export function targetOf(connection: ConnectionFile): FabricTarget {
  return {
    endpoint: connection.gatewayEndpoint,
    peerEndpoints: Object.fromEntries(
      connection.organisations.flatMap((o) => (o.peerEndpoint ? [[o.mspId, o.peerEndpoint]] : [])),
    ),
    tlsRootsPem: tlsRootsOf(connection),
    ...(connection.hostnameOverride ? { hostnameOverride: connection.hostnameOverride } : {}),
    channel: connection.channel,
    chaincode: connection.chaincode,
  };
}

/** The endpoint a member of `mspId` calls: its organisation's peer, else the gateway endpoint. */
export function endpointFor(target: FabricTarget, mspId: string): string {
  return target.peerEndpoints[mspId] ?? target.endpoint;
}
