import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { fabricErrorCode } from './fabric-error-code';

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

describe('fabricErrorCode', () => {
  it('takes the chaincode’s own code from the error details', () => {
    const error = new EndorseError({
      code: status.ABORTED,
      details: [
        {
          address: 'peer',
          mspId: 'HospitalAMSP',
          message: 'chaincode response 500, ACCESS_DENIED: nurse of LabMSP',
        },
      ],
      cause: serviceError(status.ABORTED, 'failed to endorse'),
      message: 'failed to endorse transaction, see attached details for more info',
      transactionId: 'tx1',
    });
    expect(fabricErrorCode(error)).toBe('ACCESS_DENIED');
  });

  it('names the phase and gRPC status otherwise', () => {
    const endorse = new EndorseError({
      code: status.DEADLINE_EXCEEDED,
      details: [],
      cause: serviceError(status.DEADLINE_EXCEEDED, 'deadline'),
      transactionId: 'tx',
    });
    expect(fabricErrorCode(endorse)).toBe('ENDORSE_DEADLINE_EXCEEDED');
    const gateway = new GatewayError({
      code: status.UNAVAILABLE,
      details: [],
      cause: serviceError(status.UNAVAILABLE, 'down'),
    });
    expect(fabricErrorCode(gateway)).toBe('GATEWAY_UNAVAILABLE');
  });

  it('names the validation code of a failed commit', () => {
    const error = new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx' });
    expect(fabricErrorCode(error)).toBe('COMMIT_MVCC_READ_CONFLICT');
    expect(fabricErrorCode(new Error('x'))).toBe('CLIENT_ERROR');
  });
});
