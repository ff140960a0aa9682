import type { Context } from 'fabric-contract-api';
import { ChaincodeError, maxProposalSkewMs } from '@careledger/contract';

/**
 * The endorsing peer's clock. Reading it makes an endorsement depend on the peer, not only on
 * the proposal; that is the point (a backdated proposal must fail), and it can only refuse: a
 * proposal within the bound gets the same result from every peer. Tests replace `now`.
 */
export const peerClock = { now: (): number => Date.now() };

/**
 * The transaction's time (the proposal timestamp), refused when it is more than
 * `maxProposalSkewMs` from the peer's clock.
 * @throws ChaincodeError STALE_PROPOSAL.
 */
export function proposalTime(ctx: Context): Date {
  const at = ctx.stub.getDateTimestamp();
  const skew = at.getTime() - peerClock.now();
  if (Math.abs(skew) > maxProposalSkewMs) {
    throw new ChaincodeError(
      'STALE_PROPOSAL',
      `the proposal's timestamp ${at.toISOString()} is ${Math.round(Math.abs(skew) / 1000)} s ${skew < 0 ? 'behind' : 'ahead of'} this peer's clock; at most ${maxProposalSkewMs / 1000} s are accepted (check the client's clock)`,
    );
  }
  return at;
}
