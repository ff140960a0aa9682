import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
// fabric-gateway 1.11 exports SubmitError as a type only; tests build real ones from its module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SubmitError } = require('@hyperledger/fabric-gateway/dist/submiterror') as {
  SubmitError: new (p: {
    code: number;
    details: [];
    cause: ServiceError;
    transactionId: string;
    message?: string;
  }) => GatewayError;
};

/** Fabric client errors as the client library builds them, for tests. */
export function serviceError(code: GrpcStatus, details = ''): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

export function endorseError(code: GrpcStatus, detail: string): EndorseError {
  return new EndorseError({
    code,
    details: [{ address: 'peer0', mspId: 'HospitalAMSP', message: detail }],
    cause: serviceError(code),
    message: 'failed to endorse transaction, see attached details for more info',
    transactionId: 'tx1',
  });
}

export function evaluateError(code: GrpcStatus, message: string): GatewayError {
  return new GatewayError({ code, details: [], cause: serviceError(code), message });
}

export function submitError(code: GrpcStatus, message = 'submit'): GatewayError {
  return new SubmitError({
    code,
    details: [],
    cause: serviceError(code),
    transactionId: 'tx2',
    message,
  });
}

export function commitStatusError(code: GrpcStatus, message = 'commit status'): CommitStatusError {
  return new CommitStatusError({
    code,
    details: [],
    cause: serviceError(code),
    message,
    transactionId: 'tx9',
  });
}
