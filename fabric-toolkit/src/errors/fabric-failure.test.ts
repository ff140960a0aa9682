import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { commitStatusError, endorseError, evaluateError, submitError } from '../testing/fabric-errors';
import { TIMEOUT_MESSAGE } from '../fabric-messages';
import { classifyFabricError, isSubmitError, validationCodeName } from './fabric-failure';

describe('classifyFabricError', () => {
  it("finds the chaincode's own message behind Fabric's prefix, in a detail or in the message", () => {
    expect(
      classifyFabricError(endorseError(GrpcStatus.ABORTED, 'chaincode response 500, NOT_FOUND: p-1')),
    ).toMatchObject({
      kind: 'chaincode',
      phase: 'endorse',
      grpcName: 'ABORTED',
      chaincodeMessage: 'NOT_FOUND: p-1',
    });
    const evaluated = evaluateError(
      GrpcStatus.UNKNOWN,
      'evaluate call to endorser returned error: chaincode response 500, anything: at all',
    );
    expect(classifyFabricError(evaluated)).toMatchObject({
      kind: 'chaincode',
      phase: 'gateway',
      chaincodeMessage: 'anything: at all',
    });
  });

  it('tells read conflicts from other validation failures of a commit', () => {
    const conflict = classifyFabricError(
      new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't1' }),
    );
    expect(conflict).toMatchObject({
      kind: 'readConflict',
      phase: 'commit',
      validationCode: 11,
      validationName: 'MVCC_READ_CONFLICT',
      transactionId: 't1',
    });
    expect(classifyFabricError(new CommitError({ code: 12, transactionId: 't' })).kind).toBe('readConflict');
    expect(classifyFabricError(new CommitError({ code: 10, transactionId: 't' }))).toMatchObject({
      kind: 'invalidated',
      validationName: 'ENDORSEMENT_POLICY_FAILURE',
    });
  });

  it('calls an outcome unknown after a failed commit status or a submit past its deadline', () => {
    expect(classifyFabricError(commitStatusError(GrpcStatus.UNAVAILABLE))).toMatchObject({
      kind: 'commitUnknown',
      phase: 'commitStatus',
      transactionId: 'tx9',
    });
    expect(classifyFabricError(submitError(GrpcStatus.DEADLINE_EXCEEDED))).toMatchObject({
      kind: 'commitUnknown',
      phase: 'submit',
      transactionId: 'tx2',
    });
    expect(classifyFabricError(submitError(GrpcStatus.UNAVAILABLE))).toMatchObject({
      kind: 'unavailable',
      phase: 'submit',
    });
  });

  it("calls a peer's concurrency-limit refusal unavailable (nothing was done), but not of a commit status", () => {
    const text = 'too many requests for /gateway.Gateway, exceeding concurrency limit (500)';
    expect(classifyFabricError(endorseError(GrpcStatus.UNKNOWN, text)).kind).toBe('unavailable');
    expect(classifyFabricError(evaluateError(GrpcStatus.UNKNOWN, text)).kind).toBe('unavailable');
    expect(classifyFabricError(submitError(GrpcStatus.UNKNOWN, text)).kind).toBe('unavailable');
    expect(classifyFabricError(commitStatusError(GrpcStatus.UNKNOWN, text)).kind).toBe('commitUnknown');
  });

  it("names a refused identity, an unavailable ledger and the peer's chaincode timeout", () => {
    expect(classifyFabricError(evaluateError(GrpcStatus.PERMISSION_DENIED, 'creator org unknown')).kind).toBe(
      'identityRefused',
    );
    for (const code of [
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.DEADLINE_EXCEEDED,
      GrpcStatus.RESOURCE_EXHAUSTED,
    ]) {
      expect(classifyFabricError(endorseError(code, 'down')).kind).toBe('unavailable');
    }
    const timedOut = endorseError(GrpcStatus.ABORTED, `error in simulation: ${TIMEOUT_MESSAGE}`);
    expect(classifyFabricError(timedOut).kind).toBe('unavailable');
    expect(classifyFabricError(endorseError(GrpcStatus.ABORTED, 'mismatched responses')).kind).toBe('other');
  });

  it('keeps every text of the error and says when it is not a Fabric error at all', () => {
    expect(classifyFabricError(endorseError(GrpcStatus.ABORTED, 'detail')).texts).toEqual([
      'detail',
      'failed to endorse transaction, see attached details for more info',
    ]);
    expect(classifyFabricError(new Error('boom'))).toEqual({
      kind: 'notFabric',
      phase: 'client',
      texts: ['boom'],
    });
    expect(classifyFabricError('text').texts).toEqual(['text']);
  });

  it('recognises a SubmitError, which the client library exports as a type only', () => {
    expect(isSubmitError(submitError(GrpcStatus.UNAVAILABLE))).toBe(true);
    expect(isSubmitError(endorseError(GrpcStatus.UNAVAILABLE, 'x'))).toBe(false);
    expect(isSubmitError(new Error('SubmitError'))).toBe(false);
    expect(validationCodeName(999)).toBe('999');
  });
});
