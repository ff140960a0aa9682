import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError } from '@hyperledger/fabric-gateway';
import { endorseError, submitError } from '@careledger/fabric-toolkit/testing';
import { withRetries } from './with-retries';

const noWait = { sleep: async () => undefined, backoff: () => 0 };

function failing(errors: Error[], result = 'ok') {
  let n = 0;
  const attempt = jest.fn(async () => {
    const err = errors[n++];
    if (err !== undefined) throw err;
    return result;
  });
  return attempt;
}

describe('withRetries', () => {
  it('retries the action it handles until success', async () => {
    const attempt = failing([new CommitError({ code: 11, transactionId: 'a' }), endorseError(14, 'down')]);
    await expect(withRetries(attempt, { retries: 3, on: 'newTransaction', ...noWait })).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('gives up after the bound and rethrows the last error unchanged', async () => {
    const last = endorseError(GrpcStatus.UNAVAILABLE, 'down 3');
    const attempt = failing([endorseError(14, '1'), endorseError(14, '2'), last]);
    await expect(withRetries(attempt, { retries: 2, on: 'newTransaction', ...noWait })).rejects.toBe(last);
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('stops at once on a refusal or on an action another loop handles', async () => {
    const refusal = endorseError(GrpcStatus.ABORTED, 'chaincode response 500, ACCESS_DENIED: no');
    const refused = failing([refusal]);
    await expect(withRetries(refused, { retries: 5, on: 'newTransaction', ...noWait })).rejects.toBe(refusal);
    expect(refused).toHaveBeenCalledTimes(1);
    const submit = failing([submitError(GrpcStatus.UNAVAILABLE)]);
    await expect(withRetries(submit, { retries: 5, on: 'newTransaction', ...noWait })).rejects.toBeDefined();
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('waits the backoff between attempts', async () => {
    const waits: number[] = [];
    const attempt = failing([submitError(14), submitError(14)]);
    await withRetries(attempt, {
      retries: 3,
      on: 'sameTransaction',
      sleep: async (ms) => void waits.push(ms),
      backoff: (n) => 10 * (n + 1),
    });
    expect(waits).toEqual([10, 20]);
  });
});
