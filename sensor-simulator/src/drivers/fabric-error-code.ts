import { status as grpcStatus } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';

const chaincodeCode = /chaincode response \d+, ([A-Z][A-Z_]+):/;

/** The name of a transaction validation code, e.g. 11 → `MVCC_READ_CONFLICT`. */
export function validationCodeName(code: number): string {
  return Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

/**
 * A stable failure code for a Fabric Gateway client error, by the phase it failed in: the
 * chaincode's own code when it gave one (the same codes the REST gateway reports, e.g.
 * `ACCESS_DENIED`), `ENDORSE_<gRPC status>`, `SUBMIT_<gRPC status>`,
 * `COMMIT_STATUS_<gRPC status>`, or `COMMIT_<validation code>`.
 */
export function fabricErrorCode(error: unknown): string {
  if (error instanceof CommitError) return `COMMIT_${validationCodeName(error.code)}`;
  if (error instanceof GatewayError) {
    const texts = [error.message, ...error.details.map((d) => d.message)];
    for (const text of texts) {
      const match = chaincodeCode.exec(text);
      if (match?.[1]) return match[1];
    }
    const phase =
      error instanceof EndorseError
        ? 'ENDORSE'
        : error instanceof CommitStatusError
          ? 'COMMIT_STATUS'
          : error.name === 'SubmitError'
            ? 'SUBMIT'
            : 'GATEWAY';
    return `${phase}_${grpcStatus[error.code] ?? error.code}`;
  }
  return 'CLIENT_ERROR';
}
