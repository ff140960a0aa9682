import { status } from '@grpc/grpc-js';
import type { common } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import type { ChaincodeRuntime } from '../chaincode/chaincode-runtime';
import type { DevnetLedger } from '../ledger';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';
import type { BlockNotifier } from './block-notifier';
import type { EndorsingPeer } from './endorsing-peer';
import type { Orderer } from './orderer';
import { RpcError } from './rpc-error';
import type { ChannelMembers } from './system-chaincodes/channel-config';

/** Everything the gateway's RPC handlers share: one channel, its peers, chaincodes and orderer. */
export interface GatewayContext {
  readonly ledger: DevnetLedger;
  readonly msp: MspRegistry;
  /** One endorsing peer per application organisation, in configuration order. */
  readonly peers: readonly EndorsingPeer[];
  readonly chaincode: (name: string) => ChaincodeRuntime | undefined;
  /** The chaincode-level endorsement policy of a defined chaincode (namespace). */
  readonly chaincodePolicy: (name: string) => common.SignaturePolicyEnvelope | undefined;
  readonly orderer: Orderer;
  readonly ordererAddress: string;
  readonly ordererMspId: string;
  /** The channel's organisations (with their CA certificates), orderer and batch settings, as cscc answers them. */
  readonly channel: ChannelMembers;
  readonly notifier: BlockNotifier;
  readonly logger: Logger;
}

/** A channel this network does not have, answered as Fabric's gateway answers it. */
export function unknownChannel(channel: string): RpcError {
  return new RpcError(
    status.UNAVAILABLE,
    `failed to get config for channel [${channel}]: could not get last config for channel ${channel}`,
  );
}

/** The identity that signed `message`, or undefined if the MSP refuses it or the signature is bad. */
export function verifySigned(
  ctx: GatewayContext,
  identity: Buffer,
  message: Buffer,
  signature: Buffer,
): VerifiedIdentity | undefined {
  let verified: VerifiedIdentity;
  try {
    verified = ctx.msp.validateIdentity(identity);
  } catch {
    return undefined;
  }
  return ctx.msp.verify(verified, message, signature) ? verified : undefined;
}

/**
 * The channel policies of a test-network style configtx, as the devnet configures its channel:
 * an application organisation's Readers are `OR(admin, peer, client)` and its Writers
 * `OR(admin, client)`. `/Channel/Application/Readers|Writers` is ANY of them, so a peer
 * identity can read (commit status, events) but never propose or submit, and an identity of
 * the orderer organisation does neither through the application channel's ACLs.
 */
const channelPolicyOUs: Readonly<Record<'Readers' | 'Writers', ReadonlySet<string>>> = {
  Readers: new Set(['admin', 'peer', 'client']),
  Writers: new Set(['admin', 'client']),
};

/** Whether `identity` satisfies `/Channel/Application/<policy>`. */
export function satisfiesApplicationPolicy(
  ctx: GatewayContext,
  identity: VerifiedIdentity,
  policy: 'Readers' | 'Writers',
): boolean {
  return (
    identity.ou !== undefined &&
    channelPolicyOUs[policy].has(identity.ou) &&
    ctx.peers.some((p) => p.mspId === identity.mspId)
  );
}

/**
 * The ACL failure a peer reports for a resource checked against `/Channel/Application/<policy>`
 * (`core/aclmgmt/resourceprovider.go`: the policy's own error wrapped with its path).
 */
export function aclDenied(policy: 'Readers' | 'Writers'): string {
  return `failed evaluating policy on signed data during check policy [/Channel/Application/${policy}]: [${policyDenied(policy)}]`;
}

/** Fabric's wording when a signed request fails the channel's Readers/Writers policy. */
export function policyDenied(policy: 'Readers' | 'Writers'): string {
  return `implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the '${policy}' sub-policies to be satisfied`;
}
