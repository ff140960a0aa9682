import { createHash } from 'node:crypto';
import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import type { MspRegistry, VerifiedIdentity } from '../msp/msp-registry';
import type { UnpackedProposal } from './proposal';

/** A proposal a peer refuses before running the chaincode; the message is Fabric's. */
export class ProposalValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProposalValidationError';
  }
}

/**
 * Checks a proposal as a peer's `UnpackedProposal.Validate` does (FABRIC-PROTOCOL.md §2.2 step 3),
 * in Fabric's order: header type, epoch, nonce and creator present, txid, creator known to the
 * channel and issued by its MSP, signature over the proposal bytes.
 * @returns the verified creator.
 * @throws ProposalValidationError `error validating proposal: …` with Fabric's wording.
 */
export function validateProposal(
  proposal: UnpackedProposal,
  registry: MspRegistry,
  identities: IdentityCache,
): VerifiedIdentity {
  const fail = (message: string): never => {
    throw new ProposalValidationError(`error validating proposal: ${message}`);
  };
  const type = proposal.channelHeader.getType();
  if (type !== common.HeaderType.ENDORSER_TRANSACTION) fail(`invalid header type ${headerTypeName(type)}`);
  const epoch = proposal.channelHeader.getEpoch();
  if (epoch !== 0) fail(`invalid Epoch in ChannelHeader. Expected 0, got [${epoch}]`);
  if (proposal.nonce.length === 0) fail('nonce is empty');
  if (proposal.creator.length === 0) fail('creator is empty');
  const expected = createHash('sha256').update(proposal.nonce).update(proposal.creator).digest('hex');
  if (proposal.txId !== expected) fail(`incorrectly computed txid ${proposal.txId} -- expected ${expected}`);
  if (proposal.signature.length === 0) fail('signature is empty');
  const channel = proposal.channelId;
  const identity = identities.resolve(proposal.creator);
  if (identity === undefined) {
    const mspId = creatorMspId(proposal.creator);
    if (mspId === undefined || !registry.mspIds().includes(mspId)) {
      fail(`access denied: channel [${channel}] creator org unknown, creator is malformed`);
    }
    fail(`access denied: channel [${channel}] creator org [${mspId}]`);
  }
  const verified = identity as VerifiedIdentity;
  if (!registry.verify(verified, proposal.proposalBytes, proposal.signature)) {
    fail(`access denied: channel [${channel}] creator org [${verified.mspId}]`);
  }
  return verified;
}

/**
 * Validated identities by their serialized bytes, as Fabric's MSP keeps a deserializer cache:
 * a certificate chain is checked once, not per transaction. Bounded (oldest dropped first).
 */
export class IdentityCache {
  readonly #registry: MspRegistry;
  readonly #max: number;
  readonly #entries = new Map<string, VerifiedIdentity>();

  constructor(registry: MspRegistry, max = 2048) {
    this.#registry = registry;
    this.#max = max;
  }

  /** The validated identity, or undefined if the MSP refuses it. */
  resolve(serialized: Buffer): VerifiedIdentity | undefined {
    const key = serialized.toString('base64');
    const cached = this.#entries.get(key);
    if (cached !== undefined) return cached;
    let identity: VerifiedIdentity;
    try {
      identity = this.#registry.validateIdentity(serialized);
    } catch {
      return undefined;
    }
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, identity);
    return identity;
  }
}

function creatorMspId(creator: Buffer): string | undefined {
  try {
    return mspProto.SerializedIdentity.deserializeBinary(creator).getMspid();
  } catch {
    return undefined;
  }
}

function headerTypeName(type: number): string {
  const entry = Object.entries(common.HeaderType).find(([, value]) => value === type);
  return entry?.[0] ?? String(type);
}
