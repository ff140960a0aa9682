import { news2AggregateRecord } from '@careledger/contract';
import { z } from 'zod';
import { buildOpenApi } from '../http/openapi';
import { fakeReceipt } from '../testing/fake-ledger-client';
import { startTestApp, type TestApp } from '../testing/test-app';
import { routeTable } from './route-table';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function stored(readingId: string, type: string, value: number, observedAt: string, systolic?: number) {
  return {
    readingId,
    patientId: 'p-1',
    custodianMspId: 'HospitalAMSP',
    type,
    loinc: 'x',
    unit: 'x',
    ...(systolic === undefined ? { value } : { systolic, diastolic: 60 }),
    observedAt,
    recordedAt: observedAt,
    recordedBy: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x' },
    txId: 'a'.repeat(64),
    news2Score: 0,
    direction: 'none',
    flag: 'normal',
  };
}

describe('GET /patients/{id}/news2', () => {
  let app: TestApp;
  beforeEach(() => {
    app = startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('reads every page of the window and answers the aggregate of the latest readings', async () => {
    const pages = [
      {
        records: [
          stored('r-1', 'heartRate', 135, minutesAgo(10)),
          stored('r-2', 'respiratoryRate', 22, minutesAgo(9)),
          stored('r-3', 'bloodPressure', 0, minutesAgo(20), 95),
        ],
        bookmark: 'next',
        fetchedRecordsCount: 3,
      },
      {
        records: [stored('r-4', 'heartRate', 95, minutesAgo(2)), stored('r-5', 'spo2', 93, minutesAgo(1))],
        bookmark: '',
        fetchedRecordsCount: 2,
      },
    ];
    app.ledger.answer = () => pages.shift();
    const res = await app.request('/api/v1/patients/p-1/news2', { as: 'a-nurse' });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: unknown };
    // Pulse 95: 1 (the newer reading, not 135), respiration 22: 2, SpO2 93: 2; blood pressure is
    // 20 min old (stale, not counted), temperature missing.
    expect(data).toMatchObject({
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      total: 5,
      risk: 'medium',
      complete: false,
      stale: ['bloodPressure'],
      missing: ['bodyTemperature'],
      maxAgeMs: 15 * 60_000,
    });
    expect(
      news2AggregateRecord.extend({ patientId: z.string(), custodianMspId: z.string() }).safeParse(data)
        .success,
    ).toBe(true);
    const queries = app.ledger.calls.map((c) => JSON.parse(c.args[0] ?? '{}') as Record<string, unknown>);
    expect(queries.map((q) => q.bookmark)).toEqual([undefined, 'next']);
    const from = Date.parse(String(queries[0]?.from));
    expect(Date.now() - from).toBeGreaterThanOrEqual(30 * 60_000);
    expect(Date.now() - from).toBeLessThan(31 * 60_000);
  });

  it('counts readings as fresh for maxAgeMinutes', async () => {
    app.ledger.answer = () => ({
      records: [stored('r-1', 'heartRate', 135, minutesAgo(40))],
      bookmark: '',
      fetchedRecordsCount: 1,
    });
    const res = await app.request('/api/v1/patients/p-1/news2?maxAgeMinutes=60', { as: 'a-nurse' });
    expect(((await res.json()) as { data: unknown }).data).toMatchObject({ total: 3, risk: 'low-medium' });
    const from = Date.parse(
      String((JSON.parse(app.ledger.calls[0]?.args[0] ?? '{}') as { from: string }).from),
    );
    expect(Date.now() - from).toBeGreaterThanOrEqual(120 * 60_000);
    expect(Date.now() - from).toBeLessThan(121 * 60_000);
  });

  it("reads another hospital's patient as any read: a logged access request first", async () => {
    app.ledger.answer = (r) =>
      r.transaction === 'AccessLog:request'
        ? fakeReceipt(r)
        : { records: [], bookmark: '', fetchedRecordsCount: 0 };
    const res = await app.request('/api/v1/patients/p-1/news2?custodian=HospitalAMSP', { as: 'b-doctor' });
    expect(res.status).toBe(200);
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['AccessLog:request', 'Vitals:query']);
    expect(((await res.json()) as { data: { missing: string[] } }).data.missing).toHaveLength(5);
  });

  it('refuses a window it does not take', async () => {
    const res = await app.request('/api/v1/patients/p-1/news2?maxAgeMinutes=0', { as: 'a-nurse' });
    expect(res.status).toBe(400);
    expect(app.ledger.calls).toEqual([]);
  });
});

describe('the news2 route in the OpenAPI document', () => {
  it('is an operation of its own, with its own response schema beside the readings list', () => {
    const doc = buildOpenApi(routeTable, 'test') as {
      paths: Record<string, { get: { operationId: string; responses: Record<string, unknown> } }>;
    };
    const news2 = doc.paths['/api/v1/patients/{patientId}/news2']!.get;
    const vitals = doc.paths['/api/v1/patients/{patientId}/vitals']!.get;
    expect([news2.operationId, vitals.operationId]).toEqual(['Vitals_news2', 'Vitals_query']);
    expect(JSON.stringify(news2.responses['200'])).toContain('"risk"');
    expect(JSON.stringify(vitals.responses['200'])).not.toContain('"risk"');
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
