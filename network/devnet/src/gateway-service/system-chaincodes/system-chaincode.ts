import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import { aclDenied, satisfiesApplicationPolicy, type GatewayContext } from '../gateway-context';
import { validateProposal, ProposalValidationError } from '../proposal-validator';
import type { UnpackedProposal } from '../proposal';
import { aclPolicyOf } from './channel-acls';

/**
 * What a system chaincode answers: Fabric's `shim.Success(payload)`, `shim.Error(message)` (500)
 * or another status (`_lifecycle` answers 404 for a chaincode that is not defined).
 */
export type SystemResponse =
  | { readonly status: 200; readonly payload: Uint8Array }
  | { readonly status: 404 | 500; readonly message: string };

export const success = (payload: Uint8Array): SystemResponse => ({ status: 200, payload });
export const failure = (message: string, status: 404 | 500 = 500): SystemResponse => ({ status, message });

/** One call of a system chaincode: the channel, the proposal's (validated) creator and the arguments. */
export interface SystemInvocation {
  readonly ctx: GatewayContext;
  readonly txId: string;
  readonly creator: VerifiedIdentity;
  readonly args: readonly Uint8Array[];
}

/** Argument `i` as UTF-8 text ('' if absent), as Go's `string(args[i])`. */
export function textArg(invocation: SystemInvocation, i: number): string {
  return Buffer.from(invocation.args[i] ?? new Uint8Array()).toString('utf8');
}

/**
 * The ACL check a system chaincode makes itself (`aclmgmt` `CheckACL`) for `resource`, such as
 * `cscc/GetChannelConfig`, against the policy the channel's ACLs map it to (`channel-acls.ts`):
 * Fabric's failure text (`Unmapped policy for <resource>` when none is mapped), or undefined if the
 * creator satisfies the policy.
 */
export function checkAcl(invocation: SystemInvocation, resource: string): string | undefined {
  const policy = aclPolicyOf(resource);
  if (policy === undefined) return `Unmapped policy for ${resource}`;
  return satisfiesApplicationPolicy(invocation.ctx, invocation.creator, policy)
    ? undefined
    : aclDenied(policy);
}

/**
 * A peer's checks before it runs a system chaincode (`Endorser.preProcess`): the proposal itself and
 * a transaction id already on the ledger, but not `peer/Propose` — "ACLs for system chaincodes are
 * checked elsewhere", by each system chaincode for its own functions.
 * @returns the verified creator, or the peer's error message.
 */
export function checkSystemProposal(
  ctx: GatewayContext,
  proposal: UnpackedProposal,
): { readonly creator: VerifiedIdentity } | { readonly error: string } {
  let creator: VerifiedIdentity;
  try {
    creator = validateProposal(proposal, ctx.msp);
  } catch (err) {
    if (err instanceof ProposalValidationError) return { error: err.message };
    throw err;
  }
  if (ctx.ledger.getTxStatus(proposal.txId) !== undefined) {
    return {
      error: `duplicate transaction found [${proposal.txId}]. Creator [${proposal.creator.toString('hex')}]`,
    };
  }
  return { creator };
}
