import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { startTestApp, type TestApp } from '../testing/test-app';

const tx = (n: number) => n.toString(16).padStart(64, '0');
const alert = (
  block: number,
  n: number,
  patientId: string,
  custodianMspId = 'HospitalAMSP',
): ChaincodeEvent => ({
  blockNumber: BigInt(block),
  transactionId: tx(n),
  chaincodeName: 'careledger',
  eventName: 'VitalAbnormal',
  payload: Buffer.from(JSON.stringify({ alerts: [{ patientId, custodianMspId, readingId: `r-${n}` }] })),
});

interface Received {
  id: string;
  event: string;
  data: unknown;
}

/** Read SSE messages until `count` arrived (or the stream ended). */
async function receive(res: Response, count: number): Promise<Received[]> {
  const out: Received[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const field = (name: string) => block.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const data = field('data');
      if (data !== undefined)
        out.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return out.slice(0, count);
}

describe('GET /events', () => {
  let app: TestApp;
  beforeEach(() => {
    app = startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('streams only what the caller may see, each event with its block:txId as id', async () => {
    const res = await app.request('/api/v1/events', { as: 'a-patient' });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    setTimeout(() => {
      app.ledger.emit(alert(5, 1, 'p-2'));
      app.ledger.emit(alert(5, 2, 'p-1'));
      app.ledger.emit(alert(6, 3, 'p-3', 'HospitalBMSP'));
      app.ledger.emit(alert(7, 4, 'p-1'));
    }, 50);
    const events = await receive(res, 2);
    expect(events).toEqual([
      {
        id: `5:${tx(2)}`,
        event: 'VitalAbnormal',
        data: { alerts: [expect.objectContaining({ readingId: 'r-2' })] },
      },
      {
        id: `7:${tx(4)}`,
        event: 'VitalAbnormal',
        data: { alerts: [expect.objectContaining({ readingId: 'r-4' })] },
      },
    ]);
    expect(app.ledger.eventRequests[0]).toEqual({ identity: 'a-patient', resume: undefined });
  });

  it('adds the reading to an alert, read on the ledger as the subscriber; an alert it cannot read stays ids and score', async () => {
    app.ledger.answer = (r) => {
      if (r.args[2] === 'r-2') throw new Error('not readable now');
      return { readingId: r.args[2], value: 39.37 };
    };
    const res = await app.request('/api/v1/events', { as: 'a-doctor' });
    setTimeout(() => {
      app.ledger.emit(alert(5, 1, 'p-1'));
      app.ledger.emit(alert(5, 2, 'p-1'));
    }, 50);
    const events = await receive(res, 2);
    expect(events.map((e) => e.data)).toEqual([
      {
        alerts: [
          {
            patientId: 'p-1',
            custodianMspId: 'HospitalAMSP',
            readingId: 'r-1',
            reading: { readingId: 'r-1', value: 39.37 },
          },
        ],
      },
      { alerts: [{ patientId: 'p-1', custodianMspId: 'HospitalAMSP', readingId: 'r-2' }] },
    ]);
    expect(
      app.ledger.calls.map((c) => [c.transaction, c.identity, c.args, c.endorsingOrganizations]),
    ).toEqual([
      ['Vitals:get', 'a-doctor', ['HospitalAMSP', 'p-1', 'r-1'], ['HospitalAMSP']],
      ['Vitals:get', 'a-doctor', ['HospitalAMSP', 'p-1', 'r-2'], ['HospitalAMSP']],
    ]);
  });

  it('resumes after Last-Event-ID without repeating or missing an event', async () => {
    app.ledger.backlog = [alert(5, 1, 'p-1'), alert(5, 2, 'p-1'), alert(6, 3, 'p-1')];
    const first = await receive(await app.request('/api/v1/events', { as: 'a-doctor' }), 2);
    expect(first.map((e) => e.id)).toEqual([`5:${tx(1)}`, `5:${tx(2)}`]);
    const resumed = await app.request('/api/v1/events', {
      as: 'a-doctor',
      headers: { 'last-event-id': first[1]?.id ?? '' },
    });
    expect((await receive(resumed, 1)).map((e) => e.id)).toEqual([`6:${tx(3)}`]);
    expect(app.ledger.eventRequests[1]?.resume).toEqual({ blockNumber: 5n, transactionId: tx(2) });
  });

  it('refuses a Last-Event-ID it never sent, and callers without credentials', async () => {
    const bad = await app.request('/api/v1/events', { headers: { 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: unknown } }).error.details).toEqual({
      field: 'Last-Event-ID',
    });
    expect((await fetch(`${app.url}/api/v1/events`)).status).toBe(401);
    expect(app.ledger.eventRequests).toEqual([]);
  });

  it('ends open streams on shutdown and when the client goes away', async () => {
    const res = await app.request('/api/v1/events', { as: 'a-doctor' });
    await new Promise((r) => setTimeout(r, 50));
    app.shutdown.abort();
    expect(await receive(res, 1)).toEqual([]);
    expect(app.ledger.closedStreams).toBe(1);
  });

  describe('ReadingCommitted', () => {
    const reading = (patientId: string, readingId: string, custodianMspId = 'HospitalAMSP') => ({
      transactionId: tx(9),
      collection: `_implicit_org_${custodianMspId}`,
      key: readingId,
      value: Buffer.from(
        JSON.stringify({
          readingId,
          patientId,
          custodianMspId,
          type: 'spo2',
          loinc: '59408-5',
          unit: '%',
          value: 97,
          observedAt: '2026-12-08T10:00:00.000Z',
          recordedAt: '2026-12-08T10:00:00.500Z',
          recordedBy: { mspId: custodianMspId, role: 'nurse', id: 'x509::n' },
          txId: tx(9),
          news2Score: 0,
          direction: 'none',
          flag: 'normal',
          salt: 'AAAA',
        }),
      ),
    });

    it("notifies the custodian's clinicians and the patient of each committed reading, by ids only, without an id line", async () => {
      const nurse = await app.request('/api/v1/events', { as: 'a-nurse' });
      const patient = await app.request('/api/v1/events', { as: 'a-patient' });
      // One stream from the organisation's peer for both subscribers.
      expect(app.ledger.privateRequests).toEqual([{ identity: 'a-nurse', startBlock: undefined }]);
      app.ledger.emitPrivate({ blockNumber: 12n, writes: [reading('p-2', 'r-2'), reading('p-1', 'r-1')] });
      const notice = (patientId: string, readingId: string) => ({
        id: '',
        event: 'ReadingCommitted',
        data: { patientId, readingId, type: 'spo2', custodianMspId: 'HospitalAMSP' },
      });
      expect(await receive(nurse, 2)).toEqual([notice('p-2', 'r-2'), notice('p-1', 'r-1')]);
      expect(await receive(patient, 1)).toEqual([notice('p-1', 'r-1')]);
    });

    it("notifies of an alert's acknowledgement by the reading's ids", async () => {
      const doctor = await app.request('/api/v1/events', { as: 'a-doctor' });
      const ack = {
        readingId: 'r-1',
        patientId: 'p-1',
        custodianMspId: 'HospitalAMSP',
        news2Score: 2,
        flag: 'abnormal',
        acknowledgedAt: '2026-12-08T10:02:00.000Z',
        acknowledgedBy: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x509::n' },
        txId: tx(9),
        salt: 'AAAA',
      };
      app.ledger.emitPrivate({
        blockNumber: 13n,
        writes: [{ ...reading('p-1', 'r-1'), value: Buffer.from(JSON.stringify(ack)) }],
      });
      expect(await receive(doctor, 1)).toEqual([
        {
          id: '',
          event: 'AlertAcknowledged',
          data: { patientId: 'p-1', readingId: 'r-1', custodianMspId: 'HospitalAMSP' },
        },
      ]);
    });

    it('opens no private-data stream for a caller who hears of no vitals, and another hospital hears nothing', async () => {
      const lab = await app.request('/api/v1/events', { as: 'lab-technician' });
      expect(app.ledger.privateRequests).toEqual([]);
      const other = await app.request('/api/v1/events', { as: 'b-doctor' });
      expect(app.ledger.privateRequests).toEqual([{ identity: 'b-doctor', startBlock: undefined }]);
      // Whatever reached Hospital B's stream, a reading of Hospital A is not Hospital B's to hear of.
      app.ledger.emitPrivate({ blockNumber: 3n, writes: [reading('p-1', 'r-1')] });
      setTimeout(() => app.ledger.emit(alert(4, 1, 'p-9', 'HospitalBMSP')), 50);
      expect((await receive(other, 1)).map((e) => e.event)).toEqual(['VitalAbnormal']);
      await lab.body?.cancel();
    });

    it('closes the private-data stream when the last subscriber goes', async () => {
      const res = await app.request('/api/v1/events', { as: 'a-doctor' });
      expect(app.ledger.openPrivateStreams).toBe(1);
      await res.body?.cancel();
      for (let i = 0; i < 100 && app.ledger.openPrivateStreams > 0; i += 1)
        await new Promise((r) => setTimeout(r, 10));
      expect(app.ledger.openPrivateStreams).toBe(0);
    });
  });
});
