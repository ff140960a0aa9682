import { RoundRecorder } from './round-recorder';

describe('RoundRecorder', () => {
  it('counts distinct transactions of the successes beside the readings, over the same window', () => {
    // 10 requests 100 ms apart: the send window is 1 s.
    const recorder = new RoundRecorder(100);
    const txOf = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c', undefined];
    txOf.forEach((tx, i) => {
      recorder.sent(i * 100, i * 100, 1);
      recorder.completed(
        i * 100,
        i * 100 + 20,
        tx === undefined ? { ok: true } : { ok: true, transactionId: tx },
      );
    });
    // A failure's transaction is not known, and does not count.
    recorder.sent(1000, 1000, 1);
    recorder.completed(1000, 1010, { ok: false, code: 'CONFLICT' });
    expect(recorder.progress).toMatchObject({ succeeded: 10, failed: 1, transactions: 3 });
    const stats = recorder.stats();
    expect(stats.succeeded).toBe(10);
    expect(stats.transactions).toBe(3);
    // send window: last send 1000 ms + one interval = 1.1 s
    expect(stats.throughput).toBeCloseTo(10 / 1.1, 9);
    expect(stats.transactionRate).toBeCloseTo(3 / 1.1, 9);
  });

  it('measures how fast refusals were answered, apart from timeouts and requests never answered', () => {
    const recorder = new RoundRecorder(100);
    recorder.completed(0, 3, { ok: false, code: 'OVERLOADED' });
    recorder.completed(100, 108, { ok: false, code: 'OVERLOADED' });
    recorder.completed(200, 30_200, { ok: false, code: 'TIMEOUT' });
    recorder.failed('CLIENT_BACKLOG');
    const { refusalLatency, failures } = recorder.stats();
    expect(failures).toEqual({ CLIENT_BACKLOG: 1, OVERLOADED: 2, TIMEOUT: 1 });
    expect(refusalLatency).toMatchObject({ count: 2, min: 3, max: 8 });
  });

  it('takes the longer window when answers came after the last send', () => {
    const recorder = new RoundRecorder(500);
    recorder.sent(0, 0, 1);
    recorder.sent(500, 500, 2);
    recorder.completed(0, 3000, { ok: true, transactionId: 't1' });
    recorder.completed(500, 4000, { ok: true, transactionId: 't2' });
    const stats = recorder.stats();
    expect(stats.throughput).toBeCloseTo(2 / 4, 9);
    expect(stats.transactionRate).toBeCloseTo(2 / 4, 9);
  });

  it('reports no transactions when the server named none, and zero rates for an empty round', () => {
    const recorder = new RoundRecorder(100);
    expect(recorder.stats()).toMatchObject({ transactions: 0, transactionRate: 0, throughput: 0 });
    recorder.sent(0, 0, 1);
    recorder.completed(0, 10, { ok: true });
    expect(recorder.stats()).toMatchObject({ succeeded: 1, transactions: 0, transactionRate: 0 });
  });
});
