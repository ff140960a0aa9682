import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError } from '@hyperledger/fabric-gateway';
import { parseChaincodeError } from '@careledger/chaincode';
import { errorTexts, isSubmitError, MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT } from './fabric-error-mapper';

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

function refusedByChaincode(err: GatewayError): boolean {
  return errorTexts(err).some((m) => parseChaincodeError(m));
}

/** Classify a Fabric client error; pure, no I/O. */
export function retryAction(err: unknown): RetryAction {
  if (err instanceof CommitError) {
    return err.code === MVCC_READ_CONFLICT || err.code === PHANTOM_READ_CONFLICT ? 'newTransaction' : 'none';
  }
  if (err instanceof CommitStatusError) {
    // After its deadline the wait is over (504, the client polls); any other failure asks again.
    return err.code === (GrpcStatus.DEADLINE_EXCEEDED as number) ? 'none' : 'checkStatus';
  }
  if (!(err instanceof GatewayError) || refusedByChaincode(err) || !transient.has(err.code)) return 'none';
  // Nothing was ordered after a failed endorsement or evaluation; a failed submit is sent again
  // as the same envelope.
  return isSubmitError(err) ? 'sameTransaction' : 'newTransaction';
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
