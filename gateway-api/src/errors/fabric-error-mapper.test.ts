import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { errorCatalog } from './error-catalog';
import { toApiError } from './fabric-error-mapper';
import { backoffMs, retryAction } from './retry-policy';

function serviceError(code: GrpcStatus, details = ''): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

function endorseError(code: GrpcStatus, detail: string): EndorseError {
  return new EndorseError({
    code,
    details: [{ address: 'peer0', mspId: 'HospitalAMSP', message: detail }],
    cause: serviceError(code),
    message: 'failed to endorse transaction, see attached details for more info',
    transactionId: 'tx1',
  });
}

describe('toApiError', () => {
  it.each([
    ['ACCESS_DENIED', 403],
    ['CONSENT_REQUIRED', 403],
    ['UNAUTHENTICATED_ROLE', 403],
    ['INVALID_ARGUMENT', 400],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PRECONDITION_FAILED', 409],
  ] as const)('maps the chaincode code %s in an endorsement detail to %d', (code, status) => {
    const err = toApiError(endorseError(GrpcStatus.ABORTED, `chaincode response 500, ${code}: because`));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.message).toBe('because');
  });

  it('maps an evaluate refusal carried in the message', () => {
    const err = new GatewayError({
      code: GrpcStatus.UNKNOWN,
      details: [],
      cause: serviceError(GrpcStatus.UNKNOWN),
      message:
        'evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: patient p-1 does not exist',
    });
    expect(toApiError(err)).toMatchObject({ code: 'NOT_FOUND', message: 'patient p-1 does not exist' });
  });

  it('maps MVCC and phantom conflicts to CONFLICT and other commit failures to INTERNAL', () => {
    expect(toApiError(new CommitError({ code: 11, transactionId: 't' })).code).toBe('CONFLICT');
    expect(toApiError(new CommitError({ code: 12, transactionId: 't' })).code).toBe('CONFLICT');
    expect(toApiError(new CommitError({ code: 10, transactionId: 't' })).code).toBe('INTERNAL');
  });

  it('maps an unreachable ledger to 503 and a commit-status deadline to 504', () => {
    expect(toApiError(endorseError(GrpcStatus.UNAVAILABLE, 'connection refused')).status).toBe(503);
    const commitTimeout = new CommitStatusError({
      code: GrpcStatus.DEADLINE_EXCEEDED,
      details: [],
      cause: serviceError(GrpcStatus.DEADLINE_EXCEEDED),
      message: 'deadline',
      transactionId: 'tx9',
    });
    expect(toApiError(commitTimeout)).toMatchObject({
      code: 'COMMIT_TIMEOUT',
      details: { transactionId: 'tx9' },
    });
  });

  it('keeps the cause and never leaks an unknown error as anything but INTERNAL', () => {
    const cause = new Error('boom');
    const err = toApiError(cause);
    expect(err).toMatchObject({ code: 'INTERNAL', cause });
    expect(errorCatalog[err.code].status).toBe(500);
  });
});

describe('retryAction', () => {
  it('retries conflicts with a new transaction, asks the status after a commit-status failure', () => {
    expect(retryAction(new CommitError({ code: 11, transactionId: 't' }))).toBe('newTransaction');
    expect(retryAction(new CommitError({ code: 10, transactionId: 't' }))).toBe('none');
    expect(
      retryAction(
        new CommitStatusError({
          code: GrpcStatus.DEADLINE_EXCEEDED,
          details: [],
          cause: serviceError(4),
          message: 'x',
          transactionId: 't',
        }),
      ),
    ).toBe('checkStatus');
  });

  it('repeats an endorsement the ledger could not take, never a chaincode refusal', () => {
    expect(retryAction(endorseError(GrpcStatus.UNAVAILABLE, 'no peers'))).toBe('retrySameStep');
    expect(retryAction(endorseError(GrpcStatus.ABORTED, 'chaincode response 500, CONFLICT: exists'))).toBe(
      'none',
    );
    expect(retryAction(new Error('other'))).toBe('none');
  });

  it('backs off exponentially with a cap', () => {
    expect([0, 1, 2, 10].map((a) => backoffMs(a, 50, 2000, () => 1))).toEqual([50, 100, 200, 2000]);
    expect(backoffMs(3, 50, 2000, () => 0)).toBe(0);
  });
});
