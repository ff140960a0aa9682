import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError } from '@hyperledger/fabric-gateway';
import { ErrorCode } from '@careledger/contract';
import {
  commitStatusError,
  endorseError,
  evaluateError,
  submitError,
} from '@careledger/fabric-toolkit/testing';
import { errorCatalog } from './error-catalog';
import { toApiError } from './fabric-error-mapper';

describe('toApiError', () => {
  it.each([
    ['ACCESS_DENIED', 403],
    ['CONSENT_REQUIRED', 403],
    ['UNAUTHENTICATED_ROLE', 403],
    ['INVALID_ARGUMENT', 400],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PRECONDITION_FAILED', 409],
    ['INTERNAL', 500],
  ] as const)('maps the chaincode code %s in an endorsement detail to %d', (code, status) => {
    const err = toApiError(endorseError(GrpcStatus.ABORTED, `chaincode response 500, ${code}: because`));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.message).toBe('because');
  });

  it("knows every one of the chaincode's codes", () => {
    for (const code of Object.keys(ErrorCode)) expect(errorCatalog).toHaveProperty(code);
  });

  it('maps an evaluate refusal carried in the message', () => {
    const err = evaluateError(
      GrpcStatus.UNKNOWN,
      'evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: patient p-1 does not exist',
    );
    expect(toApiError(err)).toMatchObject({ code: 'NOT_FOUND', message: 'patient p-1 does not exist' });
  });

  it('maps MVCC and phantom conflicts to CONFLICT and other commit failures to INTERNAL', () => {
    expect(toApiError(new CommitError({ code: 11, transactionId: 't' })).code).toBe('CONFLICT');
    expect(toApiError(new CommitError({ code: 12, transactionId: 't' })).code).toBe('CONFLICT');
    expect(toApiError(new CommitError({ code: 10, transactionId: 't' })).code).toBe('INTERNAL');
  });

  it('maps an unreachable ledger to 503 and a refused identity to 403', () => {
    expect(toApiError(endorseError(GrpcStatus.UNAVAILABLE, 'connection refused')).status).toBe(503);
    expect(toApiError(evaluateError(GrpcStatus.DEADLINE_EXCEEDED, 'deadline')).code).toBe(
      'LEDGER_UNAVAILABLE',
    );
    expect(toApiError(evaluateError(GrpcStatus.PERMISSION_DENIED, 'creator org unknown')).code).toBe(
      'ACCESS_DENIED',
    );
  });

  it('answers a submitted transaction of unknown outcome with 504 and where to poll', () => {
    const expected = (transactionId: string) => ({
      code: 'COMMIT_TIMEOUT',
      status: 504,
      details: { transactionId, statusUrl: `/api/v1/transactions/${transactionId}` },
    });
    expect(toApiError(commitStatusError(GrpcStatus.DEADLINE_EXCEEDED))).toMatchObject(expected('tx9'));
    expect(toApiError(commitStatusError(GrpcStatus.UNAVAILABLE))).toMatchObject(expected('tx9'));
    expect(toApiError(submitError(GrpcStatus.DEADLINE_EXCEEDED))).toMatchObject(expected('tx2'));
    expect(toApiError(submitError(GrpcStatus.UNAVAILABLE)).code).toBe('LEDGER_UNAVAILABLE');
  });

  it('answers 503 LEDGER_UNAVAILABLE when the peer gave up waiting for the chaincode', () => {
    const timedOut = endorseError(
      GrpcStatus.ABORTED,
      'error in simulation: failed to execute transaction tx1: timeout expired while executing transaction',
    );
    expect(toApiError(timedOut)).toMatchObject({ code: 'LEDGER_UNAVAILABLE', cause: timedOut });
    expect(toApiError(endorseError(GrpcStatus.ABORTED, 'something else')).code).toBe('INTERNAL');
  });

  it('keeps the cause and never leaks an unknown error as anything but INTERNAL', () => {
    const cause = new Error('boom');
    const err = toApiError(cause);
    expect(err).toMatchObject({ code: 'INTERNAL', cause, message: 'unexpected ledger error' });
    expect(toApiError(endorseError(GrpcStatus.UNAVAILABLE, 'x')).cause).toBeDefined();
  });
});
