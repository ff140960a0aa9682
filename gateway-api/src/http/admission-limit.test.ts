import { ApiError } from '../errors/error-catalog';
import { AdmissionLimit } from './admission-limit';

/** A write held open until `finish` settles it. */
function held() {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish: () => finish() };
}

describe('AdmissionLimit', () => {
  let now = 0;
  const limit = (max = 100) => new AdmissionLimit({ max, maxQueueDelayMs: 250, now: () => now });
  beforeEach(() => {
    now = 10_000;
  });

  it('admits up to max while nothing queues, and refuses one more at once', async () => {
    const admission = limit(3);
    const writes = [held(), held(), held()];
    const running = writes.map((w) => admission.run(() => w.done));
    await expect(admission.run(async () => 'x')).rejects.toMatchObject({ code: 'OVERLOADED' });
    writes.forEach((w) => w.finish());
    await Promise.all(running);
    expect(await admission.run(async () => 'ok')).toBe('ok');
  });

  it('once writes queue, admits only what the ledger commits in time (its best rate of the last seconds × allowed latency)', async () => {
    const admission = limit(1000);
    // Three seconds of 40 writes a second, each taking 10 ms: the ledger's pace.
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i < 40; i++) {
        const w = held();
        const run = admission.run(() => w.done);
        now += 10;
        w.finish();
        await run;
        now += 15;
      }
    }
    expect(now).toBe(13_000);
    expect(admission.limit()).toBe(1000); // nothing in flight: no queue
    const stuck = Array.from({ length: 20 }, () => held());
    const running = stuck.map((w) => admission.run(() => w.done));
    // Not queueing yet: the oldest has waited less than fastest (10 ms) + 250 ms.
    now += 200;
    expect(admission.limit()).toBe(1000);
    now += 61;
    // Queueing (waited 261 ms). The ledger has shown 40 writes a second (each full second of the
    // last ten; 29 in the last 1000 ms): 40/s × 260 ms = 10.4, so 11 may be in flight; 20 are.
    expect(admission.limit()).toBe(11);
    const refused = await admission.run(async () => 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).message).toContain('wait longer than it commits in time');
    stuck.forEach((w) => w.finish());
    await Promise.all(running);
    expect(admission.limit()).toBe(1000);
  });

  it('admits up to max before any write completed: a cold start is not a queue', async () => {
    const admission = limit(1000);
    const slow = Array.from({ length: 30 }, () => held());
    const running = slow.map((w) => admission.run(() => w.done));
    now += 5000;
    expect(admission.limit()).toBe(1000);
    slow.forEach((w) => w.finish());
    await Promise.all(running);
  });

  it('admits one write at a time while the ledger commits nothing and writes wait', async () => {
    const admission = limit(1000);
    const first = held();
    const firstRun = admission.run(() => first.done);
    now += 10;
    first.finish();
    await firstRun;
    const w = held();
    const run = admission.run(() => w.done);
    now += 5000;
    expect(admission.limit()).toBe(1);
    await expect(admission.run(async () => 'x')).rejects.toMatchObject({ code: 'OVERLOADED' });
    // Still so once the fast write has left the 10 s window: the last pace it showed counts.
    now += 10_000;
    expect(admission.limit()).toBe(1);
    w.finish();
    await run;
  });
});
