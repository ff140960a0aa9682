import { status as GrpcStatus } from '@grpc/grpc-js';
import { classifyFabricError, type FabricFailure } from '@careledger/fabric-toolkit';

/**
 * What to do after a failed step:
 * - `newTransaction`: run the call again from a new proposal (a read conflict, or an endorsement
 *   or evaluation the ledger could not take: nothing was ordered, a new transaction id is harmless);
 * - `sameTransaction`: send the same signed envelope to the orderer again (the ledger refuses a
 *   second copy of a transaction id, so it can never apply twice);
 * - `checkStatus`: ask for the commit status of the same transaction id; it may still commit, so
 *   never resubmit blindly;
 * - `none`: give up (the chaincode said no, or the failure is not transient).
 */
export type RetryAction = 'newTransaction' | 'sameTransaction' | 'checkStatus' | 'none';

const transient = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.RESOURCE_EXHAUSTED]);

/** The retry of each kind of Fabric failure (`classifyFabricError` of the toolkit). */
const byKind: Record<FabricFailure['kind'], (f: FabricFailure) => RetryAction> = {
  readConflict: () => 'newTransaction',
  // After its deadline the wait is over (504, the client polls); any other failure asks again.
  commitUnknown: (f) =>
    f.phase === 'commitStatus' && f.grpcCode !== (GrpcStatus.DEADLINE_EXCEEDED as number)
      ? 'checkStatus'
      : 'none',
  // Nothing was ordered after a failed endorsement or evaluation; a failed submit is sent again
  // as the same envelope.
  unavailable: (f) =>
    f.grpcCode === undefined || !transient.has(f.grpcCode)
      ? 'none'
      : f.phase === 'submit'
        ? 'sameTransaction'
        : 'newTransaction',
  chaincode: () => 'none',
  invalidated: () => 'none',
  identityRefused: () => 'none',
  other: () => 'none',
  notFabric: () => 'none',
};

/** Classify a Fabric client error; pure, no I/O. */
export function retryAction(err: unknown): RetryAction {
  const failure = classifyFabricError(err);
  return byKind[failure.kind](failure);
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(
  attempt: number,
  baseMs = 50,
  capMs = 2000,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
