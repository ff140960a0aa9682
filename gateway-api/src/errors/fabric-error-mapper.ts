import { parseChaincodeError } from '@careledger/contract';
import { classifyFabricError, type FabricFailure } from '@careledger/fabric-toolkit';
import { ApiError } from './error-catalog';

/** Where a client polls the outcome of a submitted transaction. */
export function transactionStatusUrl(transactionId: string): string {
  return `/api/v1/transactions/${transactionId}`;
}

/** The chaincode's own refusal (`CODE: detail`), when the failure carries one. */
export function chaincodeRefusal(failure: FabricFailure): ReturnType<typeof parseChaincodeError> {
  return failure.kind === 'chaincode' && failure.chaincodeMessage !== undefined
    ? parseChaincodeError(failure.chaincodeMessage)
    : undefined;
}

type Mapping = (failure: FabricFailure, cause: unknown) => ApiError;

const internal: Mapping = (_f, cause) => new ApiError('INTERNAL', 'unexpected ledger error', { cause });

/** The API error of each kind of Fabric failure (`classifyFabricError` of the toolkit). */
const byKind: Record<FabricFailure['kind'], Mapping> = {
  chaincode: (f, cause) => {
    const refusal = chaincodeRefusal(f);
    return refusal ? new ApiError(refusal.code, refusal.detail, { cause }) : internal(f, cause);
  },
  readConflict: (f, cause) =>
    new ApiError('CONFLICT', `a concurrent change won; transaction ${f.transactionId} was not committed`, {
      details: { validationCode: f.validationCode, transactionId: f.transactionId },
      cause,
    }),
  invalidated: (f, cause) =>
    new ApiError(
      'INTERNAL',
      `transaction ${f.transactionId} failed validation with code ${f.validationCode}`,
      {
        details: { validationCode: f.validationCode, transactionId: f.transactionId },
        cause,
      },
    ),
  commitUnknown: (f, cause) =>
    new ApiError('COMMIT_TIMEOUT', 'the transaction was submitted but its commit was not seen in time', {
      details: { transactionId: f.transactionId, statusUrl: transactionStatusUrl(f.transactionId ?? '') },
      cause,
    }),
  // The channel's policies refuse the caller's identity itself (e.g. an unknown or revoked certificate).
  identityRefused: (_f, cause) =>
    new ApiError('ACCESS_DENIED', "the ledger refuses the caller's identity", { cause }),
  unavailable: (_f, cause) =>
    new ApiError('LEDGER_UNAVAILABLE', 'the ledger cannot be reached; retry later', { cause }),
  other: internal,
  notFabric: internal,
};

/**
 * The one place Fabric client errors become API errors, a table over the toolkit's classifier:
 * the chaincode's code from its message; MVCC/phantom read conflicts → CONFLICT; a submitted
 * transaction whose outcome is unknown → COMMIT_TIMEOUT with a status URL; an unreachable or
 * overloaded ledger, or a chaincode that did not answer in time → LEDGER_UNAVAILABLE. Never throws.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const failure = classifyFabricError(err);
  return byKind[failure.kind](failure, err);
}
