import type { SendOutcome } from '../drivers/load-driver';
import { FakeClock } from '../testing/fake-clock';
import { runOpenLoop, type OpenLoopOptions } from './open-loop';

function server(
  clock: FakeClock,
  latencyAt: (sentAt: number) => number,
  outcome: SendOutcome = { ok: true },
) {
  const sentAt: number[] = [];
  const users: number[] = [];
  const request = async (user: number): Promise<SendOutcome> => {
    const now = clock.now();
    sentAt.push(now);
    users.push(user);
    await clock.sleep(latencyAt(now));
    return outcome;
  };
  return { sentAt, users, request };
}

function base(clock: FakeClock, request: OpenLoopOptions['request']): OpenLoopOptions {
  return { users: 4, rate: 25, warmup: 0, duration: 1, clock, request };
}

describe('runOpenLoop', () => {
  it('sends at users × rate, evenly spaced, round-robin over the users', async () => {
    const clock = new FakeClock();
    const s = server(clock, () => 5);
    const result = await runOpenLoop(base(clock, s.request));
    expect(result.sent).toBe(100);
    expect(s.sentAt.slice(0, 4)).toEqual([0, 10, 20, 30]);
    expect(s.users.slice(0, 6)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(result.succeeded).toBe(100);
    expect(result.latency.min).toBe(5);
    expect(result.latency.max).toBe(5);
    expect(result.sendRate).toBeCloseTo(100, 6);
    expect(result.throughput).toBeCloseTo(100, 6);
    expect(result.maxSendLag).toBe(0);
  });

  it('keeps sending while the server stalls, and the stall shows up as latency', async () => {
    const clock = new FakeClock();
    // The server answers nothing between 300 and 700 ms; everything sent then is answered at 700.
    const s = server(clock, (t) => (t >= 300 && t < 700 ? 700 - t : 2));
    const result = await runOpenLoop({ ...base(clock, s.request), users: 1, rate: 100 });
    expect(result.sent).toBe(100);
    // sends went out on schedule during the stall (a closed loop would have sent one)
    expect(s.sentAt.filter((t) => t >= 300 && t < 700)).toHaveLength(40);
    expect(result.latency.max).toBeCloseTo(400, 0);
    expect(result.latency.p50).toBeCloseTo(2, 1);
    // 40 % of requests waited: p95 lands in the stall (mean of 400…10 ms plus 60 × 2 ms)
    expect(result.latency.p95).toBeGreaterThan(50);
    expect(result.latency.mean).toBeCloseTo((40 * 205 + 60 * 2) / 100, 0);
    // the last answer came at 992 ms: throughput over the 1 s window
    expect(result.throughput).toBeCloseTo(100, 6);
  });

  it('counts from the intended time when the load generator itself is blocked', async () => {
    const clock = new FakeClock();
    let blocked = false;
    const request = async (_user: number, t: number): Promise<SendOutcome> => {
      if (!blocked && t >= 0.5) {
        blocked = true;
        clock.block(200); // e.g. a GC pause in the client
      }
      await clock.sleep(1);
      return { ok: true };
    };
    const result = await runOpenLoop({ ...base(clock, request), users: 1, rate: 100 });
    expect(result.sent).toBe(100);
    expect(result.latency.max).toBeGreaterThanOrEqual(200);
    expect(result.maxSendLag).toBeGreaterThanOrEqual(190);
  });

  it('leaves the warm-up out of the figures', async () => {
    const clock = new FakeClock();
    const s = server(clock, (t) => (t < 1000 ? 500 : 3));
    const result = await runOpenLoop({ ...base(clock, s.request), warmup: 1 });
    expect(result.warmupSent).toBe(100);
    expect(result.sent).toBe(100);
    expect(result.latency.max).toBe(3);
  });

  it('counts failures by code and unanswered requests as UNFINISHED', async () => {
    const clock = new FakeClock();
    let n = 0;
    const request = (): Promise<SendOutcome> => {
      n += 1;
      if (n === 25) throw new Error('thrown synchronously'); // e.g. a reading that cannot be built
      return (async (): Promise<SendOutcome> => {
        if (n % 10 === 0) return { ok: false, code: 'CONFLICT' };
        if (n === 75) throw new Error('rejected');
        if (n === 99) await clock.sleep(60_000);
        await clock.sleep(1);
        return { ok: true };
      })();
    };
    const result = await runOpenLoop({ ...base(clock, request), drainTimeout: 5 });
    expect(result.failures).toEqual({ CLIENT_ERROR: 2, CONFLICT: 10, UNFINISHED: 1 });
    expect(result.succeeded + result.failed).toBe(result.sent);
  });

  it('is bounded by maxRequests and maxInFlight', async () => {
    const clock = new FakeClock();
    const capped = await runOpenLoop({ ...base(clock, server(clock, () => 1).request), maxRequests: 7 });
    expect(capped.sent).toBe(7);
    const clock2 = new FakeClock();
    const slow = server(clock2, () => 10_000);
    const result = await runOpenLoop({ ...base(clock2, slow.request), maxInFlight: 10, drainTimeout: 20 });
    expect(slow.sentAt).toHaveLength(10);
    expect(result.failures).toEqual({ CLIENT_BACKLOG: 90 });
    expect(result.maxInFlight).toBe(10);
  });

  it('stops sending on abort and still returns what it measured', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const request = async (_u: number, t: number): Promise<SendOutcome> => {
      if (t >= 0.3) controller.abort();
      await clock.sleep(1);
      return { ok: true };
    };
    const result = await runOpenLoop({ ...base(clock, request), signal: controller.signal, duration: 10 });
    expect(result.interrupted).toBe(true);
    expect(result.sent).toBe(31);
    expect(result.succeeded).toBe(31);
  });

  it('refuses invalid options before sending', async () => {
    const clock = new FakeClock();
    const s = server(clock, () => 1);
    await expect(runOpenLoop({ ...base(clock, s.request), users: 0 })).rejects.toThrow(RangeError);
    await expect(runOpenLoop({ ...base(clock, s.request), rate: 0 })).rejects.toThrow(RangeError);
    expect(s.sentAt).toHaveLength(0);
  });
});
