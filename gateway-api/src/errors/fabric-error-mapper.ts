import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError } from '@hyperledger/fabric-gateway';
import { parseChaincodeError } from '@careledger/chaincode';
import { TIMEOUT_MESSAGE } from '@careledger/devnet';
import { ApiError } from './error-catalog';

/** TxValidationCodes a retry with a new transaction can cure. */
export const MVCC_READ_CONFLICT = 11;
export const PHANTOM_READ_CONFLICT = 12;

const unavailableCodes = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.CANCELLED,
]);

/**
 * A failure sending an endorsed transaction to the orderer. fabric-gateway 1.11 exports
 * `SubmitError` as a type only, so it is recognised by name.
 */
export function isSubmitError(err: unknown): err is GatewayError & { readonly transactionId: string } {
  return err instanceof GatewayError && err.name === 'SubmitError';
}

/** Where a client polls the outcome of a submitted transaction. */
export function transactionStatusUrl(transactionId: string): string {
  return `/api/v1/transactions/${transactionId}`;
}

/** Every text of a Fabric error: each endorser's or orderer's detail, then its own message. */
export function errorTexts(err: GatewayError): string[] {
  return [...err.details.map((d) => d.message), err.message];
}

/**
 * The peer gave up waiting for the chaincode (Fabric's execute timeout, 30 s by default; the
 * embedded network says it in the same words): the ledger is overloaded or the chaincode is down,
 * nothing was ordered.
 */
function chaincodeTimedOut(err: GatewayError): boolean {
  return errorTexts(err).some((m) => m.includes(TIMEOUT_MESSAGE));
}

/** The chaincode's own refusal, found in a Fabric error's details or message. */
function chaincodeRefusal(err: GatewayError): ApiError | undefined {
  for (const text of errorTexts(err)) {
    const found = parseChaincodeError(text);
    if (found) return new ApiError(found.code, found.detail, { cause: err });
  }
  return undefined;
}

function commitTimeout(err: unknown, transactionId: string): ApiError {
  return new ApiError('COMMIT_TIMEOUT', 'the transaction was submitted but its commit was not seen in time', {
    details: { transactionId, statusUrl: transactionStatusUrl(transactionId) },
    cause: err,
  });
}

/**
 * The one place Fabric client errors become API errors: the chaincode's code from its
 * message; MVCC/phantom read conflicts → CONFLICT; a submitted transaction whose outcome is
 * unknown (commit status not seen, or the orderer's answer timed out) → COMMIT_TIMEOUT with a
 * status URL; an unreachable or overloaded ledger, or a chaincode that did not answer in time →
 * LEDGER_UNAVAILABLE. Never throws.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CommitError) {
    const conflict = err.code === MVCC_READ_CONFLICT || err.code === PHANTOM_READ_CONFLICT;
    return new ApiError(
      conflict ? 'CONFLICT' : 'INTERNAL',
      conflict
        ? `a concurrent change won; transaction ${err.transactionId} was not committed`
        : `transaction ${err.transactionId} failed validation with code ${err.code}`,
      { details: { validationCode: err.code, transactionId: err.transactionId }, cause: err },
    );
  }
  if (err instanceof GatewayError) {
    const refusal = chaincodeRefusal(err);
    if (refusal) return refusal;
    const grpcCode: number = err.code;
    if (err instanceof CommitStatusError) return commitTimeout(err, err.transactionId);
    if (isSubmitError(err) && grpcCode === (GrpcStatus.DEADLINE_EXCEEDED as number)) {
      return commitTimeout(err, err.transactionId);
    }
    if (grpcCode === (GrpcStatus.PERMISSION_DENIED as number)) {
      // The channel's policies refuse the caller's identity itself (e.g. an unknown or revoked certificate).
      return new ApiError('ACCESS_DENIED', "the ledger refuses the caller's identity", { cause: err });
    }
    if (unavailableCodes.has(grpcCode) || chaincodeTimedOut(err)) {
      return new ApiError('LEDGER_UNAVAILABLE', 'the ledger cannot be reached; retry later', { cause: err });
    }
  }
  return new ApiError('INTERNAL', 'unexpected ledger error', { cause: err });
}
