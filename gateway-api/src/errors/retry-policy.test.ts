import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError } from '@hyperledger/fabric-gateway';
import { ApiError } from './error-catalog';
import {
  commitStatusError,
  endorseError,
  evaluateError,
  submitError,
} from '@careledger/fabric-toolkit/testing';
import { backoffMs, retryAction } from './retry-policy';

describe('retryAction', () => {
  it('runs a new transaction after a read conflict, never after another validation failure', () => {
    expect(retryAction(new CommitError({ code: 11, transactionId: 't' }))).toBe('newTransaction');
    expect(retryAction(new CommitError({ code: 12, transactionId: 't' }))).toBe('newTransaction');
    expect(retryAction(new CommitError({ code: 10, transactionId: 't' }))).toBe('none');
  });

  it('asks for the same commit status again, unless its deadline passed', () => {
    expect(retryAction(commitStatusError(GrpcStatus.UNAVAILABLE))).toBe('checkStatus');
    expect(retryAction(commitStatusError(GrpcStatus.DEADLINE_EXCEEDED))).toBe('none');
  });

  it('repeats an endorsement or evaluation the ledger could not take with a new proposal', () => {
    expect(retryAction(endorseError(GrpcStatus.UNAVAILABLE, 'no peers'))).toBe('newTransaction');
    expect(retryAction(endorseError(GrpcStatus.RESOURCE_EXHAUSTED, 'busy'))).toBe('newTransaction');
    expect(retryAction(evaluateError(GrpcStatus.UNAVAILABLE, 'down'))).toBe('newTransaction');
  });

  it('sends the same envelope again after a transient submit failure', () => {
    expect(retryAction(submitError(GrpcStatus.UNAVAILABLE))).toBe('sameTransaction');
    expect(retryAction(submitError(GrpcStatus.DEADLINE_EXCEEDED))).toBe('none');
  });

  it('never retries a chaincode refusal, a non-transient failure or a foreign error', () => {
    expect(retryAction(endorseError(GrpcStatus.ABORTED, 'chaincode response 500, CONFLICT: exists'))).toBe(
      'none',
    );
    expect(
      retryAction(endorseError(GrpcStatus.UNAVAILABLE, 'chaincode response 500, ACCESS_DENIED: no')),
    ).toBe('none');
    expect(retryAction(endorseError(GrpcStatus.ABORTED, 'mismatched responses'))).toBe('none');
    expect(retryAction(new ApiError('NOT_FOUND', 'x'))).toBe('none');
    expect(retryAction(new Error('other'))).toBe('none');
  });
});

describe('backoffMs', () => {
  it('backs off exponentially with full jitter and a cap', () => {
    expect([0, 1, 2, 10].map((a) => backoffMs(a, 50, 2000, () => 1))).toEqual([50, 100, 200, 2000]);
    expect(backoffMs(3, 50, 2000, () => 0)).toBe(0);
    expect(backoffMs(1, 50, 2000, () => 0.5)).toBe(50);
  });
});
