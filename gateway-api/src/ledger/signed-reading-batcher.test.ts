import type { SignedReading } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { FakeLedgerClient, fakeReceipt } from '../testing/fake-ledger-client';
import type { CallRequest } from './ledger-client';
import { SignedReadingBatcher } from './signed-reading-batcher';

const signed = (readingId: string): SignedReading => ({
  payload: JSON.stringify({ readingId }),
  signature: 'AA==',
});
const sentIds = (r: CallRequest) =>
  (JSON.parse(r.transient?.signedReadings ?? '[]') as SignedReading[]).map(
    (s) => (JSON.parse(s.payload) as { readingId: string }).readingId,
  );
const caller = (n: number) => ({ identity: `device-${n}`, mspId: 'HospitalAMSP' });

describe('SignedReadingBatcher', () => {
  it('sends at once while there is room, and batches what waits behind the transactions in flight', async () => {
    const ledger = new FakeLedgerClient();
    const release: (() => void)[] = [];
    ledger.answer = async (r) => {
      await new Promise<void>((resolve) => release.push(resolve));
      return sentIds(r).map((readingId) => ({ readingId, receipt: fakeReceipt(r, { id: readingId }) }));
    };
    const batcher = new SignedReadingBatcher(ledger, {
      maxBatch: 3,
      maxInFlight: 2,
      maxWaitMs: 60_000,
      maxWaiting: 100,
    });
    const answers = Array.from({ length: 7 }, (_, i) =>
      batcher.record(caller(i), `r-${i}`, signed(`r-${i}`)),
    );
    await new Promise((r) => setImmediate(r));
    // Two alone (room for two transactions), the other five wait.
    expect(ledger.calls.map(sentIds)).toEqual([['r-0'], ['r-1']]);
    release.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(ledger.calls.map(sentIds)).toEqual([['r-0'], ['r-1'], ['r-2', 'r-3', 'r-4']]);
    while (ledger.calls.length < 4 || release.length > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    const outcomes = await Promise.all(answers);
    expect(outcomes.map((a) => a.value.readingId)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6']);
    expect(ledger.calls.map(sentIds)).toEqual([['r-0'], ['r-1'], ['r-2', 'r-3', 'r-4'], ['r-5', 'r-6']]);
    // Each transaction is relayed by one of its own callers, endorsed by their hospital.
    expect(ledger.calls.map((c) => [c.transaction, c.identity, c.endorsingOrganizations])).toEqual([
      ['Vitals:recordSigned', 'device-0', ['HospitalAMSP']],
      ['Vitals:recordSigned', 'device-1', ['HospitalAMSP']],
      ['Vitals:recordSigned', 'device-2', ['HospitalAMSP']],
      ['Vitals:recordSigned', 'device-5', ['HospitalAMSP']],
    ]);
  });

  it("answers each caller its own reading's outcome, a refusal included", async () => {
    const ledger = new FakeLedgerClient();
    ledger.answer = (r) =>
      sentIds(r).map((readingId) =>
        readingId === 'r-bad'
          ? { readingId, error: { code: 'ACCESS_DENIED', message: 'forged' } }
          : { readingId, receipt: fakeReceipt(r, { id: readingId }) },
      );
    const batcher = new SignedReadingBatcher(ledger, {
      maxBatch: 10,
      maxInFlight: 1,
      maxWaitMs: 60_000,
      maxWaiting: 100,
    });
    const [a, b, c] = await Promise.all(
      ['r-a', 'r-bad', 'r-c'].map((id, i) => batcher.record(caller(i), id, signed(id))),
    );
    expect([a?.value.receipt?.id, b?.value.error?.code, c?.value.receipt?.id]).toEqual([
      'r-a',
      'ACCESS_DENIED',
      'r-c',
    ]);
    expect(a?.transactionId).toBe('b'.repeat(64));
  });

  it('fails every reading of a transaction that fails as a whole, and goes on with the next', async () => {
    const ledger = new FakeLedgerClient();
    let first = true;
    ledger.answer = (r) => {
      if (first) {
        first = false;
        throw new ApiError('LEDGER_UNAVAILABLE', 'the ledger cannot be reached; retry later');
      }
      return sentIds(r).map((readingId) => ({ readingId, receipt: fakeReceipt(r) }));
    };
    const batcher = new SignedReadingBatcher(ledger, {
      maxBatch: 10,
      maxInFlight: 1,
      maxWaitMs: 60_000,
      maxWaiting: 100,
    });
    const failed = batcher.record(caller(1), 'r-1', signed('r-1')).catch((e: unknown) => e);
    const next = batcher.record(caller(2), 'r-2', signed('r-2'));
    expect(await failed).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    expect((await next).value.readingId).toBe('r-2');
  });

  it('keeps a second copy of a waiting reading for the next transaction', async () => {
    const ledger = new FakeLedgerClient();
    ledger.answer = (r) => sentIds(r).map((readingId) => ({ readingId, receipt: fakeReceipt(r) }));
    const batcher = new SignedReadingBatcher(ledger, {
      maxBatch: 10,
      maxInFlight: 1,
      maxWaitMs: 60_000,
      maxWaiting: 100,
    });
    await Promise.all(['r-0', 'r-1', 'r-1', 'r-2'].map((id, i) => batcher.record(caller(i), id, signed(id))));
    expect(ledger.calls.map(sentIds)).toEqual([['r-0'], ['r-1', 'r-2'], ['r-1']]);
  });

  it('refuses at once what would wait behind readings waiting too long, or too many', async () => {
    const ledger = new FakeLedgerClient();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    ledger.answer = async (r) => {
      await held;
      return sentIds(r).map((readingId) => ({ readingId, receipt: fakeReceipt(r) }));
    };
    const batcher = new SignedReadingBatcher(ledger, {
      maxBatch: 10,
      maxInFlight: 1,
      maxWaitMs: 30,
      maxWaiting: 2,
    });
    const first = batcher.record(caller(0), 'r-0', signed('r-0')); // in flight
    const waiting = [1, 2].map((i) => batcher.record(caller(i), `r-${i}`, signed(`r-${i}`)));
    await expect(batcher.record(caller(3), 'r-3', signed('r-3'))).rejects.toMatchObject({
      code: 'OVERLOADED',
      details: { retryAfterSeconds: 1 },
    });
    release();
    await Promise.all([first, ...waiting]);
    // Waiting too long: one waits behind a transaction that does not end.
    let release2: () => void = () => undefined;
    const held2 = new Promise<void>((resolve) => (release2 = resolve));
    ledger.answer = async (r) => {
      await held2;
      return sentIds(r).map((readingId) => ({ readingId, receipt: fakeReceipt(r) }));
    };
    const blocking = batcher.record(caller(4), 'r-4', signed('r-4'));
    const queued = batcher.record(caller(5), 'r-5', signed('r-5'));
    await new Promise((r) => setTimeout(r, 50));
    await expect(batcher.record(caller(6), 'r-6', signed('r-6'))).rejects.toMatchObject({
      code: 'OVERLOADED',
    });
    release2();
    await Promise.all([blocking, queued]);
  });

  it('submits nothing when every reading of a transaction is a replay', async () => {
    const ledger = new FakeLedgerClient();
    ledger.answer = (r) =>
      sentIds(r).map((readingId) => ({ readingId, receipt: fakeReceipt(r, { replayed: true }) }));
    const batcher = new SignedReadingBatcher(ledger, {
      maxBatch: 10,
      maxInFlight: 1,
      maxWaitMs: 60_000,
      maxWaiting: 100,
    });
    const answer = await batcher.record(caller(1), 'r-1', signed('r-1'));
    expect(answer.alreadyOnLedger).toBe(true);
    expect(answer.transactionId).toBeUndefined();
  });
});
