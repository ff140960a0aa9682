import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { MspError } from '@careledger/fabric-toolkit';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';
import { aclDenied, satisfiesApplicationPolicy, type GatewayContext } from './gateway-context';
import type { UnpackedProposal } from './proposal';

/** A proposal a peer refuses before running the chaincode; the message is Fabric's. */
export class ProposalValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProposalValidationError';
  }
}

/**
 * Checks a proposal as a peer's `UnpackedProposal.Validate` does,
 * in Fabric's order: header type, epoch, nonce and creator present, txid, creator known to the
 * channel and issued by its MSP, signature over the proposal bytes. The registry caches
 * validated identities, so a certificate chain is checked once, not per proposal.
 * @returns the verified creator.
 * @throws ProposalValidationError `error validating proposal: …` with Fabric's wording.
 */
export function validateProposal(proposal: UnpackedProposal, registry: MspRegistry): VerifiedIdentity {
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
  let creator: VerifiedIdentity;
  try {
    creator = registry.validateIdentity(proposal.creator);
  } catch (err) {
    if (err instanceof MspError) return fail(err.accessDeniedMessage(proposal.channelId));
    throw err;
  }
  if (!registry.verify(creator, proposal.proposalBytes, proposal.signature)) {
    fail(new MspError('untrusted', creator.mspId, 'bad signature').accessDeniedMessage(proposal.channelId));
  }
  return creator;
}

/**
 * A peer's checks before it runs the chaincode, in Fabric's order
 * (`UnpackedProposal.Validate` and what follows it): the proposal itself, a transaction id already on the ledger, and the
 * `peer/Propose` ACL (`/Channel/Application/Writers`: admins and clients of an application
 * organisation, never a peer identity).
 * @returns the peer's error message, or undefined if the proposal may be simulated.
 */
export function checkProposal(ctx: GatewayContext, proposal: UnpackedProposal): string | undefined {
  let creator: VerifiedIdentity;
  try {
    creator = validateProposal(proposal, ctx.msp);
  } catch (err) {
    if (err instanceof ProposalValidationError) return err.message;
    throw err;
  }
  if (ctx.ledger.getTxStatus(proposal.txId) !== undefined) {
    return `duplicate transaction found [${proposal.txId}]. Creator [${proposal.creator.toString('hex')}]`;
  }
  if (!satisfiesApplicationPolicy(ctx, creator, 'Writers')) return aclDenied('Writers');
  return undefined;
}

function headerTypeName(type: number): string {
  const entry = Object.entries(common.HeaderType).find(([, value]) => value === type);
  return entry?.[0] ?? String(type);
}
