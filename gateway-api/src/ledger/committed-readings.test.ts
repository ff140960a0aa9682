import pino from 'pino';
import { FakeLedgerClient } from '../testing/fake-ledger-client';
import { newCommittedReadings, committedNoticeOf, type CommittedNotice } from './committed-readings';
import type { PrivateWrite } from './ledger-client';

const txId = 'c'.repeat(64);
const stored = (patientId: string, readingId: string, custodianMspId = 'HospitalAMSP') => ({
  readingId,
  patientId,
  custodianMspId,
  deviceId: 'dev-1',
  type: 'heartRate',
  loinc: '8867-4',
  unit: '/min',
  value: 72,
  observedAt: '2026-12-08T10:00:00.000Z',
  recordedAt: '2026-12-08T10:00:01.000Z',
  recordedBy: { mspId: custodianMspId, role: 'device', id: 'x509::d' },
  txId,
  news2Score: 0,
  direction: 'none',
  flag: 'normal',
  salt: 'c2FsdA==',
});
const write = (value: unknown, collection = '_implicit_org_HospitalAMSP', key = 'k'): PrivateWrite => ({
  transactionId: txId,
  collection,
  key,
  value: Buffer.from(JSON.stringify(value)),
});
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('committedNoticeOf', () => {
  it("names a stored reading of the custodian's collection by its ids and type only", () => {
    expect(committedNoticeOf(write(stored('p-1', 'r-1')), 'HospitalAMSP')).toEqual({
      kind: 'reading',
      notice: { patientId: 'p-1', readingId: 'r-1', type: 'heartRate', custodianMspId: 'HospitalAMSP' },
    });
  });

  it("names an alert's acknowledgement by the reading's ids", () => {
    const ack = {
      readingId: 'r-1',
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      news2Score: 3,
      flag: 'critical',
      acknowledgedAt: '2026-12-08T10:02:00.000Z',
      acknowledgedBy: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x509::n' },
      txId,
      salt: 'AAAA',
    };
    expect(committedNoticeOf(write(ack), 'HospitalAMSP')).toEqual({
      kind: 'acknowledgement',
      notice: { patientId: 'p-1', readingId: 'r-1', custodianMspId: 'HospitalAMSP' },
    });
  });

  it("is undefined for other records, another organisation's collection or custodian, and bytes that are not JSON", () => {
    expect(
      committedNoticeOf(write({ patientId: 'p-1', key: 'vital…', salt: 's' }), 'HospitalAMSP'),
    ).toBeUndefined();
    expect(
      committedNoticeOf(write(stored('p-1', 'r-1'), '_implicit_org_HospitalBMSP'), 'HospitalAMSP'),
    ).toBeUndefined();
    expect(committedNoticeOf(write(stored('p-1', 'r-1', 'HospitalBMSP')), 'HospitalAMSP')).toBeUndefined();
    expect(
      committedNoticeOf({ ...write({}), value: Buffer.from('{not json') }, 'HospitalAMSP'),
    ).toBeUndefined();
  });
});

describe('CommittedReadings', () => {
  const logger = pino({ level: 'silent' });

  it("opens one stream per organisation, with its first subscriber's identity, and closes it with the last", async () => {
    const ledger = new FakeLedgerClient();
    const feed = newCommittedReadings({ ledger, logger });
    const heard: Record<string, CommittedNotice[]> = { n: [], d: [], b: [] };
    const offNurse = await feed.subscribe({
      identity: 'a-nurse',
      mspId: 'HospitalAMSP',
      onNotice: (r) => heard.n?.push(r),
    });
    const offDoctor = await feed.subscribe({
      identity: 'a-doctor',
      mspId: 'HospitalAMSP',
      onNotice: (r) => heard.d?.push(r),
    });
    const offB = await feed.subscribe({
      identity: 'b-doctor',
      mspId: 'HospitalBMSP',
      onNotice: (r) => heard.b?.push(r),
    });
    expect(ledger.privateRequests).toEqual([
      { identity: 'a-nurse', startBlock: undefined },
      { identity: 'b-doctor', startBlock: undefined },
    ]);
    ledger.emitPrivate({
      blockNumber: 4n,
      writes: [write(stored('p-1', 'r-1')), write({ patientId: 'p-1', key: 'x' })],
    });
    await until(() => heard.n?.length === 1 && heard.d?.length === 1);
    // Hospital B's stream is fed by its peer with its own collection only; A's writes match nothing there.
    expect(heard.b).toEqual([]);
    offNurse();
    offDoctor();
    expect(ledger.openPrivateStreams).toBe(1);
    offB();
    expect(ledger.openPrivateStreams).toBe(0);
    feed.close();
  });

  it('opens a broken stream again from the block after the last one seen', async () => {
    const ledger = new FakeLedgerClient();
    const feed = newCommittedReadings({ ledger, logger, reopenMs: 5 });
    const heard: string[] = [];
    const off = await feed.subscribe({
      identity: 'a-nurse',
      mspId: 'HospitalAMSP',
      onNotice: (r) => heard.push(r.notice.readingId),
    });
    ledger.emitPrivate({ blockNumber: 9n, writes: [write(stored('p-1', 'r-9'))] });
    await until(() => heard.length === 1);
    ledger.emitPrivate(new Error('peer went away'));
    await until(() => ledger.privateRequests.length === 2 && ledger.openPrivateStreams === 1);
    expect(ledger.privateRequests[1]).toEqual({ identity: 'a-nurse', startBlock: 10n });
    ledger.emitPrivate({ blockNumber: 10n, writes: [write(stored('p-1', 'r-10'))] });
    await until(() => heard.length === 2);
    expect(heard).toEqual(['r-9', 'r-10']);
    off();
    feed.close();
    expect(ledger.openPrivateStreams).toBe(0);
  });

  it('tries again when the stream cannot be opened, and stops trying once nobody listens', async () => {
    const ledger = new FakeLedgerClient();
    ledger.privateDataError = new Error('UNAVAILABLE');
    const feed = newCommittedReadings({ ledger, logger, reopenMs: 5 });
    const off = await feed.subscribe({
      identity: 'a-nurse',
      mspId: 'HospitalAMSP',
      onNotice: () => undefined,
    });
    await until(() => ledger.privateRequests.length >= 2);
    ledger.privateDataError = undefined;
    await until(() => ledger.openPrivateStreams === 1);
    off();
    expect(ledger.openPrivateStreams).toBe(0);
    const asked = ledger.privateRequests.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(ledger.privateRequests.length).toBe(asked);
    feed.close();
  });
});
