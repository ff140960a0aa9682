import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadingInput } from '@careledger/contract';
import pino from 'pino';
import { ApiError } from '../errors/error-catalog';
import { newCareLedger } from '../ledger/care-ledger';
import type { CallRequest } from '../ledger/ledger-client';
import { FakeLedgerClient, fakeReceipt } from '../testing/fake-ledger-client';
import { sampleReading } from '../testing/sample-reading';
import { IntakeStore } from './intake-store';
import { ReadingIntake } from './reading-intake';
import type { SubmissionStatus } from './submission';

const device = { identity: 'a-device', mspId: 'HospitalAMSP' };
const reading = (id: string): ReadingInput => ({ ...sampleReading, readingId: id });

let dir: string;
let ledger: FakeLedgerClient;
const open: ReadingIntake[] = [];

/** Receipts as the chaincode answers: an array for a batch. */
const receipts = (request: CallRequest, extra: Record<string, unknown> = {}) =>
  request.transaction === 'Vitals:recordBatch'
    ? (JSON.parse(request.transient?.readings ?? '[]') as unknown[]).map(() => fakeReceipt(request, extra))
    : fakeReceipt(request, extra);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'intake-'));
  ledger = new FakeLedgerClient();
  ledger.answer = (request) => receipts(request);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close(1000).catch(() => undefined)));
  await rm(dir, { recursive: true, force: true });
});

async function newIntake(options: { maxQueuedReadings?: number; concurrency?: number } = {}) {
  const intake = new ReadingIntake({
    store: await IntakeStore.open(dir),
    ledger: newCareLedger(ledger),
    logger: pino({ level: 'silent' }),
    maxQueuedReadings: options.maxQueuedReadings ?? 1000,
    concurrency: options.concurrency ?? 8,
    retentionMs: 60_000,
    retry: { initialMs: 10, maxMs: 40 },
  });
  open.push(intake);
  return intake;
}

async function settled(intake: ReadingIntake, id: string, ms = 5000): Promise<SubmissionStatus> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 10))) {
    const status = await intake.status(id);
    if (status && status.state !== 'queued') return status;
  }
  throw new Error(`submission ${id} did not settle in ${ms} ms: ${JSON.stringify(await intake.status(id))}`);
}

describe('the durable intake of asynchronous readings', () => {
  it('keeps what it accepted on disk across a restart, then commits it as the identity that sent it', async () => {
    const first = await newIntake();
    const accepted = await first.accept(device, { readings: [reading('r-1'), reading('r-2')], batch: true });
    expect(accepted.state).toBe('queued');
    // Closed before it sent anything, as after kill -9 right after the 202.
    await first.close(0);
    open.splice(0);
    expect(ledger.calls).toHaveLength(0);

    const second = await newIntake();
    expect(second.queuedReadings).toBe(2);
    expect((await second.status(accepted.submissionId))?.state).toBe('queued');
    second.start();
    const status = await settled(second, accepted.submissionId);
    expect(status).toMatchObject({
      state: 'committed',
      transactionId: 'b'.repeat(64),
      blockNumber: '7',
      custodianMspId: 'HospitalAMSP',
      replayed: false,
      attempts: 1,
      readings: [
        { readingId: 'r-1', patientId: 'p-1' },
        { readingId: 'r-2', patientId: 'p-1' },
      ],
    });
    expect(ledger.calls.map((c) => [c.transaction, c.identity, c.async])).toEqual([
      ['Vitals:recordBatch', 'a-device', undefined],
    ]);
    expect(second.queuedReadings).toBe(0);
    // Its status keeps ids only: the readings' values are gone from the gateway's disk.
    expect(JSON.stringify(status)).not.toContain('"value"');
  });

  it('sends again after an outage until the ledger commits, counting the attempts', async () => {
    let failures = 3;
    ledger.answer = (request) => {
      if (failures-- > 0)
        throw new ApiError('LEDGER_UNAVAILABLE', 'the ledger cannot be reached; retry later');
      return receipts(request);
    };
    const intake = await newIntake();
    intake.start();
    const { submissionId } = await intake.accept(device, { readings: [reading('r-1')], batch: false });
    const status = await settled(intake, submissionId);
    expect(status.state).toBe('committed');
    expect(status.attempts).toBe(4);
    expect(ledger.calls).toHaveLength(4);
  });

  it('records a refusal of the ledger with its code, and does not send it again', async () => {
    ledger.answer = () => {
      throw new ApiError('ACCESS_DENIED', 'device d-1 is not bound to patient p-1');
    };
    const intake = await newIntake();
    intake.start();
    const { submissionId } = await intake.accept(device, { readings: [reading('r-1')], batch: false });
    const status = await settled(intake, submissionId);
    expect(status).toMatchObject({
      state: 'refused',
      error: { code: 'ACCESS_DENIED', message: 'device d-1 is not bound to patient p-1' },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(ledger.calls).toHaveLength(1);
  });

  it('answers a resend of committed readings as the replay it is, with the first transaction', async () => {
    ledger.answer = (request) => receipts(request, { replayed: true, txId: 'c'.repeat(64) });
    const intake = await newIntake();
    intake.start();
    const { submissionId } = await intake.accept(device, { readings: [reading('r-1')], batch: false });
    expect(await settled(intake, submissionId)).toMatchObject({
      state: 'committed',
      replayed: true,
      transactionId: 'c'.repeat(64),
    });
  });

  it('refuses at once when full (OVERLOADED, Retry-After) and takes readings again once they commit', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    ledger.answer = async (request) => {
      await held;
      return receipts(request);
    };
    const intake = await newIntake({ maxQueuedReadings: 2 });
    intake.start();
    const first = await intake.accept(device, { readings: [reading('r-1'), reading('r-2')], batch: true });
    const refused = await intake
      .accept(device, { readings: [reading('r-3')], batch: false })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'OVERLOADED', details: { retryAfterSeconds: 1 } });
    release();
    await settled(intake, first.submissionId);
    expect((await intake.accept(device, { readings: [reading('r-3')], batch: false })).state).toBe('queued');
  });

  it('refuses a reading the chaincode would refuse for its content before queueing it', async () => {
    const intake = await newIntake();
    const err = await intake
      .accept(device, {
        readings: [reading('r-1'), { ...sampleReading, readingId: 'r-2', value: 900 }],
        batch: true,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((err as Error).message).toBe(
      'readings.1.value: 900 /min is outside the plausible range 20-300 /min (sensor error?)',
    );
    expect(intake.queuedReadings).toBe(0);
  });

  it('has at most `concurrency` ledger calls in flight, and sends every queued reading', async () => {
    let inFlight = 0;
    let most = 0;
    ledger.answer = async (request) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return receipts(request);
    };
    const intake = await newIntake({ concurrency: 3 });
    const ids = [];
    for (let i = 0; i < 20; i++)
      ids.push((await intake.accept(device, { readings: [reading(`r-${i}`)], batch: false })).submissionId);
    intake.start();
    for (const id of ids) expect((await settled(intake, id)).state).toBe('committed');
    expect(most).toBe(3);
    expect(ledger.calls).toHaveLength(20);
  });

  it('forgets settled statuses after their retention, and only those', async () => {
    const store = await IntakeStore.open(dir);
    const status = (id: string, settledAt: string): SubmissionStatus => ({
      submissionId: id,
      state: 'committed',
      identity: 'a-device',
      mspId: 'HospitalAMSP',
      acceptedAt: settledAt,
      readings: [],
      attempts: 1,
      settledAt,
    });
    for (const [id, at] of [
      ['old', '2026-01-01T00:00:00.000Z'],
      ['new', '2026-06-01T00:00:00.000Z'],
    ] as const) {
      const queued = {
        submissionId: id,
        identity: 'a-device',
        mspId: 'HospitalAMSP',
        batch: false,
        readings: [],
        acceptedAt: at,
      };
      await store.append(queued, { ...status(id, at), state: 'queued' });
      const [entry] = await store.queued(1);
      await store.settle(entry!, status(id, at));
    }
    expect(await store.prune(Date.parse('2026-03-01T00:00:00Z'))).toBe(1);
    expect(await store.status('old')).toBeUndefined();
    expect((await store.status('new'))?.state).toBe('committed');
    await store.close();
  });
});
