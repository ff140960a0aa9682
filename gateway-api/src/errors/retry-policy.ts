import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError } from '@hyperledger/fabric-gateway';
import { parseChaincodeError } from '@careledger/chaincode';
import { MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT } from './fabric-error-mapper';

/**
 * What to do after a failed attempt: run a new transaction (a conflict: the same envelope
 * would fail again), ask for the commit status of the same transaction (it may still commit:
 * never resubmit blindly), retry the same step, or give up (the chaincode said no).
 */
export type RetryAction = 'newTransaction' | 'checkStatus' | 'retrySameStep' | 'none';

const transient = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.RESOURCE_EXHAUSTED]);

export function retryAction(err: unknown): RetryAction {
  if (err instanceof CommitError) {
    return err.code === MVCC_READ_CONFLICT || err.code === PHANTOM_READ_CONFLICT ? 'newTransaction' : 'none';
  }
  if (err instanceof CommitStatusError) return 'checkStatus';
  if (err instanceof GatewayError) {
    const refused = [...err.details.map((d) => d.message), err.message].some((m) => parseChaincodeError(m));
    if (refused) return 'none';
    // Endorse, submit and evaluate failures of an unreachable or busy ledger are safe to repeat:
    // nothing was ordered yet.
    if (transient.has(err.code)) {
      return 'retrySameStep';
    }
  }
  return 'none';
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
