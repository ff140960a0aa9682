import { vitalSignOf } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { fakeReceipt } from '../testing/fake-ledger-client';
import { sampleReading } from '../testing/sample-reading';
import { startTestApp, type TestApp } from '../testing/test-app';

const stored = (readingId: string, type: 'heartRate' | 'spo2' = 'heartRate') =>
  vitalSignOf(
    {
      ...sampleReading,
      readingId,
      type,
      unit: type === 'spo2' ? '%' : '/min',
      value: type === 'spo2' ? 97 : 72,
    },
    {
      id: readingId,
      custodianMspId: 'HospitalAMSP',
      at: '2026-11-22T10:00:01.000Z',
      by: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x' },
      txId: 'a'.repeat(64),
      replayed: false,
    },
  );

describe('the FHIR middleware', () => {
  let app: TestApp;
  beforeEach(() => {
    app = startTestApp({ bodyLimit: '64kb' });
  });
  afterEach(async () => {
    await app.close();
  });
  const fhir = (path: string, init: RequestInit & { as?: string } = {}) =>
    app.request(`/fhir/R4${path}`, {
      ...init,
      headers: { 'content-type': 'application/fhir+json', ...(init.headers as Record<string, string>) },
    });

  it("asks the ledger for the patient's page and links the next one by its bookmark", async () => {
    app.ledger.answer = () => ({
      records: [stored('r-1'), stored('r-2', 'spo2')],
      bookmark: 'bm-2',
      fetchedRecordsCount: 2,
    });
    const res = await fhir('/Observation?patient=p-1&code=8867-4,2708-6&date=ge2026-11-22&_count=500', {
      as: 'a-doctor',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    const call = app.ledger.calls[0];
    expect(call?.transaction).toBe('Vitals:query');
    expect(JSON.parse(call?.args[0] ?? '{}')).toEqual({
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      from: '2026-11-22T00:00:00.000Z',
      pageSize: 200,
    });
    const body = (await res.json()) as { entry: unknown[]; link: { relation: string; url: string }[] };
    expect(body.entry).toHaveLength(2);
    const next = new URL(body.link.find((l) => l.relation === 'next')?.url ?? '');
    expect(next.pathname).toBe('/fhir/R4/Observation');
    expect(next.searchParams.get('_cursor')).toBe('bm-2');
    expect(next.searchParams.get('code')).toBe('8867-4,2708-6');
  });

  it('filters to the one type a code names on the ledger, and has no next link on the last page', async () => {
    app.ledger.answer = () => ({ records: [stored('r-1')], bookmark: '', fetchedRecordsCount: 1 });
    const res = await fhir(
      '/Observation?patient=HospitalBMSP.p-9&code=http://loinc.org|8867-4&_cursor=bm-2',
      {
        as: 'a-doctor',
      },
    );
    expect(res.status).toBe(200);
    const query = JSON.parse(app.ledger.calls.at(-1)?.args[0] ?? '{}') as Record<string, unknown>;
    expect(query).toMatchObject({
      patientId: 'p-9',
      custodianMspId: 'HospitalBMSP',
      type: 'heartRate',
      bookmark: 'bm-2',
    });
    const body = (await res.json()) as { link: { relation: string }[] };
    expect(body.link.map((l) => l.relation)).toEqual(['self']);
  });

  it.each([
    ['/Observation?code=8867-4', 'patient'],
    ['/Observation?patient=p-1&subject=p-1', 'subject'],
    ['/Observation?patient=p-1&_count=0', '_count'],
    ['/Observation?patient=p-1&date=ne2026', 'date'],
    ['/Observation?patient=p-1&_format=xml', '_format'],
  ])(
    'refuses %s with a 400 OperationOutcome naming %s, before asking the ledger',
    async (path, expression) => {
      const res = await fhir(path, { as: 'a-doctor' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', expression: [expression] }],
      });
      expect(app.ledger.calls).toHaveLength(0);
    },
  );

  it('passes the ledger’s refusal on as an OperationOutcome with its status, and Retry-After on 503', async () => {
    app.ledger.answer = () => {
      throw new ApiError('OVERLOADED', 'busy', { details: { retryAfterSeconds: 1 } });
    };
    const res = await fhir('/Observation/HospitalAMSP.p-1.r-1', { as: 'a-doctor' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({
      issue: [
        {
          code: 'transient',
          details: { coding: [{ system: 'urn:careledger:error-code', code: 'OVERLOADED' }] },
        },
      ],
    });
  });

  it('answers an id that names no reading 404 without asking the ledger', async () => {
    const res = await fhir('/Observation/HospitalAMSP.p-1', { as: 'a-doctor' });
    expect(res.status).toBe(404);
    expect(app.ledger.calls).toHaveLength(0);
  });

  it('takes a body only as FHIR JSON or JSON (415), and a write only as one Vitals:record', async () => {
    const text = await fhir('/Observation', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { issue: { code: string }[] }).issue[0]?.code).toBe('not-supported');
    app.ledger.answer = (request) => fakeReceipt(request, { id: 'r-1', patientId: 'p-1' });
    const observation = {
      resourceType: 'Observation',
      identifier: [{ system: 'urn:careledger:HospitalAMSP:reading', value: 'r-1' }],
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: 'Patient/HospitalAMSP.p-1' },
      effectiveDateTime: '2026-11-22T10:00:00Z',
      valueQuantity: { value: 72, system: 'http://unitsofmeasure.org', code: '/min' },
    };
    const res = await fhir('/Observation', { method: 'POST', body: JSON.stringify(observation) });
    expect(res.status).toBe(201);
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['Vitals:record']);
    expect(JSON.parse(app.ledger.calls[0]?.transient?.reading ?? '{}')).toEqual({
      readingId: 'r-1',
      patientId: 'p-1',
      type: 'heartRate',
      value: 72,
      unit: '/min',
      observedAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('authenticates everything but metadata', async () => {
    const res = await fhir('/Observation?patient=p-1', { headers: { 'x-api-key': 'clk_wrong' } });
    expect(res.status).toBe(401);
    const metadata = await fhir('/metadata', { headers: { 'x-api-key': '' } });
    expect(metadata.status).toBe(200);
  });
});
