import { status } from '@grpc/grpc-js';
import type { common } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import type { ChaincodeRuntime } from '../chaincode/chaincode-runtime';
import type { Ledger } from '../ledger/ledger';
import type { MspRegistry, VerifiedIdentity } from '../msp/msp-registry';
import type { BlockNotifier } from './block-notifier';
import type { EndorsingPeer } from './endorsing-peer';
import type { Orderer } from './orderer';
import type { IdentityCache } from './proposal-validator';
import { RpcError } from './rpc-error';

/** Everything the gateway's RPC handlers share: one channel, its peers, chaincodes and orderer. */
export interface GatewayContext {
  readonly ledger: Ledger;
  readonly msp: MspRegistry;
  readonly identities: IdentityCache;
  /** One endorsing peer per application organisation, in configuration order. */
  readonly peers: readonly EndorsingPeer[];
  readonly chaincode: (name: string) => ChaincodeRuntime | undefined;
  /** The chaincode-level endorsement policy of a defined chaincode (namespace). */
  readonly chaincodePolicy: (name: string) => common.SignaturePolicyEnvelope | undefined;
  readonly orderer: Orderer;
  readonly ordererAddress: string;
  readonly ordererMspId: string;
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
  const verified = ctx.identities.resolve(identity);
  if (verified === undefined) return undefined;
  return ctx.msp.verify(verified, message, signature) ? verified : undefined;
}

/** Fabric's wording when a signed request fails the channel's Readers/Writers policy. */
export function policyDenied(policy: 'Readers' | 'Writers'): string {
  return `implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the '${policy}' sub-policies to be satisfied`;
}
