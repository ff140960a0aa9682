import { vitalSignOf } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { fakeReceipt } from '../testing/fake-ledger-client';
import { sampleReading } from '../testing/sample-reading';
import { sampleRecords } from '../testing/sample-records';
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
    expect(next.searchParams.get('_cursor')).toBe('vitals:bm-2');
    expect(next.searchParams.get('code')).toBe('8867-4,2708-6');
  });

  it('filters to the one type a code names on the ledger, and has no next link on the last page', async () => {
    app.ledger.answer = () => ({ records: [stored('r-1')], bookmark: '', fetchedRecordsCount: 1 });
    const res = await fhir(
      '/Observation?patient=HospitalBMSP.p-9&category=vital-signs&code=http://loinc.org|8867-4&_cursor=vitals:bm-2',
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

  it('searches without category the vitals, then the lab results; a source the ledger refuses is a warning', async () => {
    app.ledger.answer = (request) => {
      if (request.transaction === 'Vitals:query')
        throw new ApiError('ACCESS_DENIED', 'a technician reads no vitals');
      return { records: [sampleRecords.labResult], bookmark: '', fetchedRecordsCount: 1 };
    };
    const res = await fhir('/Observation?patient=HospitalAMSP.p-1', { as: 'a-doctor' });
    expect(res.status).toBe(200);
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['Vitals:query', 'LabResults:query']);
    const body = (await res.json()) as {
      entry: {
        resource: { resourceType: string; id?: string; issue?: { severity: string }[] };
        search: { mode: string };
      }[];
      link: { relation: string }[];
    };
    expect(body.entry.map((e) => [e.resource.resourceType, e.search.mode])).toEqual([
      ['Observation', 'match'],
      ['OperationOutcome', 'outcome'],
    ]);
    expect(body.entry[0]?.resource.id).toBe('HospitalAMSP.p-1.LabMSP.lab-1');
    expect(body.entry[1]?.resource.issue?.[0]?.severity).toBe('warning');
    expect(body.link.map((l) => l.relation)).toEqual(['self']);
  });

  it('passes on the refusal when the ledger refuses every source, and links the lab results after the last vitals page', async () => {
    app.ledger.answer = () => {
      throw new ApiError('CONSENT_REQUIRED', 'no consent');
    };
    expect((await fhir('/Observation?patient=HospitalAMSP.p-1', { as: 'a-doctor' })).status).toBe(403);
    app.ledger.answer = () => ({ records: [stored('r-1')], bookmark: '', fetchedRecordsCount: 1 });
    const res = await fhir('/Observation?patient=p-1', { as: 'a-doctor' });
    const body = (await res.json()) as { link: { relation: string; url: string }[] };
    const next = new URL(body.link.find((l) => l.relation === 'next')?.url ?? '');
    expect(next.searchParams.get('_cursor')).toBe('lab:');
  });

  it('filters lab results by code and date on the gateway, and refuses _sort for them', async () => {
    app.ledger.answer = () => ({
      records: [sampleRecords.labResult, { ...sampleRecords.labResult, resultId: 'lab-2', loinc: '718-7' }],
      bookmark: 'bm-9',
      fetchedRecordsCount: 2,
    });
    const res = await fhir(
      '/Observation?patient=p-1&category=laboratory&code=718-7&date=ge2026-11-22&_count=10',
      {
        as: 'a-doctor',
      },
    );
    expect(app.ledger.calls.map((c) => [c.transaction, c.args])).toEqual([
      ['LabResults:query', ['HospitalAMSP', 'p-1', '10', '']],
    ]);
    const body = (await res.json()) as {
      entry: { resource: { id: string } }[];
      link: { relation: string; url: string }[];
    };
    expect(body.entry.map((e) => e.resource.id)).toEqual(['HospitalAMSP.p-1.LabMSP.lab-2']);
    expect(new URL(body.link[1]?.url ?? '').searchParams.get('_cursor')).toBe('lab:bm-9');
    const sorted = await fhir('/Observation?patient=p-1&category=laboratory&_sort=date', { as: 'a-doctor' });
    expect(sorted.status).toBe(400);
  });

  it('reads a lab result by id page by page until it is found', async () => {
    app.ledger.answer = (request) =>
      request.args[3] === ''
        ? {
            records: [{ ...sampleRecords.labResult, resultId: 'lab-0' }],
            bookmark: 'bm-1',
            fetchedRecordsCount: 1,
          }
        : { records: [sampleRecords.labResult], bookmark: '', fetchedRecordsCount: 1 };
    const res = await fhir('/Observation/HospitalAMSP.p-1.LabMSP.lab-1', { as: 'a-doctor' });
    expect(res.status).toBe(200);
    expect(app.ledger.calls.map((c) => c.args[3])).toEqual(['', 'bm-1']);
    const missing = await fhir('/Observation/HospitalAMSP.p-1.LabMSP.lab-7', { as: 'a-doctor' });
    expect(missing.status).toBe(404);
  });

  it.each([
    ['/Patient/HospitalAMSP.p-1', 'Patients:readDemographics', sampleRecords.demographics, 'Patient'],
    ['/Device/HospitalAMSP.monitor-7', 'Devices:get', sampleRecords.device, 'Device'],
    [
      '/MedicationRequest/HospitalAMSP.p-1.rx-1',
      'Prescriptions:history',
      [{ txId: 't', timestamp: 'x', isDelete: false, value: sampleRecords.prescription }],
      'MedicationRequest',
    ],
  ])('reads %s with %s', async (path, transaction, answer, resourceType) => {
    app.ledger.answer = () => answer;
    const res = await fhir(path, { as: 'a-doctor' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe(resourceType);
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual([transaction]);
  });

  it.each([
    [
      '/MedicationRequest?patient=p-1&_count=5',
      'Prescriptions:query',
      ['HospitalAMSP', 'p-1', '5', ''],
      sampleRecords.prescription,
    ],
    ['/Consent?patient=p-1', 'Consents:list', ['p-1', '50', ''], sampleRecords.consent],
    [
      '/AuditEvent?patient=Patient/HospitalAMSP.p-1&_cursor=bm-3',
      'AccessLog:list',
      ['p-1', '50', 'bm-3'],
      sampleRecords.accessLogEntry,
    ],
  ])('searches %s with %s', async (path, transaction, args, record) => {
    app.ledger.answer = () => ({ records: [record], bookmark: 'bm-4', fetchedRecordsCount: 1 });
    const res = await fhir(path, { as: 'a-doctor' });
    expect(res.status).toBe(200);
    expect(app.ledger.calls.map((c) => [c.transaction, c.args])).toEqual([[transaction, args]]);
    const body = (await res.json()) as { entry: unknown[]; link: { relation: string; url: string }[] };
    expect(body.entry).toHaveLength(1);
    expect(new URL(body.link[1]?.url ?? '').searchParams.get('_cursor')).toBe('bm-4');
  });

  it.each([
    ['/Consent?patient=HospitalBMSP.p-1', 403],
    ['/AuditEvent?patient=HospitalBMSP.p-1', 403],
    ['/Device/HospitalBMSP.monitor-7', 403],
    ['/Consent?patient=p-1&status=active', 400],
    ['/MedicationRequest?code=C09AA05', 400],
    ['/Patient/p-1', 404],
    ['/MedicationRequest/HospitalAMSP.p-1', 404],
  ])('refuses %s with %d before asking the ledger', async (path, status) => {
    const res = await fhir(path, { as: 'a-doctor' });
    expect(res.status).toBe(status);
    expect(app.ledger.calls).toHaveLength(0);
  });

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
