import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError } from '@hyperledger/fabric-gateway';
import { parseChaincodeError } from '@careledger/chaincode';
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

/** The chaincode's own refusal, found in a Fabric error's details or message. */
function chaincodeRefusal(err: GatewayError): ApiError | undefined {
  for (const text of [...err.details.map((d) => d.message), err.message]) {
    const found = parseChaincodeError(text);
    if (found) return new ApiError(found.code, found.detail, { cause: err });
  }
  return undefined;
}

/**
 * The one place Fabric client errors become API errors: the chaincode's code from its
 * message, MVCC/phantom conflicts → CONFLICT, deadlines on commit → COMMIT_TIMEOUT,
 * unreachable or overloaded ledger → LEDGER_UNAVAILABLE.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CommitError) {
    if (err.code === MVCC_READ_CONFLICT || err.code === PHANTOM_READ_CONFLICT) {
      return new ApiError(
        'CONFLICT',
        `a concurrent change won; transaction ${err.transactionId} was not committed`,
        {
          details: { validationCode: err.code },
          cause: err,
        },
      );
    }
    return new ApiError(
      'INTERNAL',
      `transaction ${err.transactionId} failed validation with code ${err.code}`,
      {
        details: { validationCode: err.code },
        cause: err,
      },
    );
  }
  if (err instanceof GatewayError) {
    const refusal = chaincodeRefusal(err);
    if (refusal) return refusal;
    const txId = 'transactionId' in err ? String(err.transactionId) : undefined;
    const grpcCode: number = err.code;
    if (err instanceof CommitStatusError && grpcCode === (GrpcStatus.DEADLINE_EXCEEDED as number)) {
      return new ApiError(
        'COMMIT_TIMEOUT',
        'the transaction was submitted but its commit was not seen in time',
        {
          details: { transactionId: txId },
          cause: err,
        },
      );
    }
    if (unavailableCodes.has(grpcCode)) {
      return new ApiError('LEDGER_UNAVAILABLE', 'the ledger cannot be reached; retry later', { cause: err });
    }
  }
  return new ApiError('INTERNAL', 'unexpected ledger error', { cause: err });
}
