import { newCareLedgerClient } from '@careledger/gateway-api';
import type {
  AuditEvent,
  Bundle,
  Consent,
  Device,
  MedicationRequest,
  Observation,
  OperationOutcome,
  Patient,
} from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { fhirValidator } from '../gateway-api/src/testing/fhir-validator';
import {
  externalConnection,
  startGatewayStack,
  type EmbeddedStack,
  type GatewayStack,
} from './embedded-stack';

jest.setTimeout(120_000);

let stack: GatewayStack | undefined;
const validator = fhirValidator();
const base = Date.now() - 3_600_000;
const at = (i: number) => new Date(base + i * 1000).toISOString();

interface Answer<T> {
  readonly status: number;
  readonly type: string | null;
  readonly location: string | null;
  readonly body: T;
}

/** A FHIR call as a demo identity; every answer is checked against the R4 definitions and profiles. */
async function fhir<T = Bundle>(
  who: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<Answer<T>> {
  const url = path.startsWith('http') ? path : `${stack?.gateway.url}/fhir/R4${path}`;
  const res = await fetch(url, {
    ...init,
    headers: {
      ...(who === undefined ? {} : { 'x-api-key': stack?.keys[who] ?? '' }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
    },
  });
  const body = (await res.json()) as T;
  expect(validator.issues(body)).toEqual([]);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    location: res.headers.get('location'),
    body,
  };
}
const post = <T>(who: string, path: string, resource: unknown) =>
  fhir<T>(who, path, { method: 'POST', body: JSON.stringify(resource) });
const codeOf = (o: OperationOutcome) => o.issue[0]?.details?.coding?.[0]?.code;

const category = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
];
/** An Observation as a device hub sends it. */
function observation(readingId: string, loinc: string, value: number, unit: string, observedAt: string) {
  return {
    resourceType: 'Observation',
    identifier: [{ system: 'urn:careledger:HospitalAMSP:reading', value: readingId }],
    status: 'final',
    category,
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: 'Patient/HospitalAMSP.patient-1' },
    effectiveDateTime: observedAt,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}
const heartRate = (id: string, value: number, i: number) => observation(id, '8867-4', value, '/min', at(i));
const bloodPressure = (id: string, systolic: number, diastolic: number, i: number) => ({
  ...observation(id, '85354-9', 0, 'mm[Hg]', at(i)),
  valueQuantity: undefined,
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: systolic, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: diastolic, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
});
const entry = (resource: unknown) => ({ resource, request: { method: 'POST', url: 'Observation' } });

beforeAll(async () => {
  stack = await startGatewayStack('fhir', { COMMIT_TIMEOUT_MS: '20000' });
  const nurse = newCareLedgerClient({
    baseUrl: stack.gateway.url,
    apiKey: stack.keys['hospitala-nurse'] ?? '',
  });
  const patient = await nurse.POST('/api/v1/patients', {
    body: {
      patientId: 'patient-1',
      demographics: { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' },
    },
  });
  expect(patient.response.status).toBe(201);
  const device = await nurse.POST('/api/v1/devices', {
    body: { deviceId: 'hospitala-device-1', type: 'monitor', patientId: 'patient-1' },
  });
  expect(device.response.status).toBe(201);
});

afterAll(async () => {
  await stack?.close();
});

describe(`FHIR R4 against ${externalConnection ?? 'the embedded network'}`, () => {
  it('states what it serves in metadata, without credentials', async () => {
    const { status, type, body } = await fhir<{ resourceType: string; fhirVersion: string; rest: unknown[] }>(
      undefined,
      '/metadata',
    );
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/fhir\+json/);
    expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    const served = (body.rest[0] as { resource: { type: string }[] }).resource.map((r) => r.type);
    expect(served).toEqual([
      'Observation',
      'Patient',
      'Device',
      'MedicationRequest',
      'Consent',
      'AuditEvent',
    ]);
  });

  it('records a posted Observation once: a resend answers 200 with the stored one and writes nothing', async () => {
    const sent = {
      ...heartRate('fhir-r-1', 140, 0),
      device: { reference: 'Device/HospitalAMSP.hospitala-device-1' },
    };
    const first = await post<Observation>('hospitala-device', '/Observation', sent);
    expect(first.status).toBe(201);
    expect(first.location).toBe(`${stack?.gateway.url}/fhir/R4/Observation/HospitalAMSP.patient-1.fhir-r-1`);
    expect(first.body.interpretation?.[0]?.coding?.[0]?.code).toBe('HH');
    expect(first.body.device?.reference).toBe('Device/HospitalAMSP.hospitala-device-1');

    const ledger = externalConnection === undefined ? (stack as EmbeddedStack).devnet.ledger : undefined;
    const height = ledger?.height();
    const again = await post<Observation>('hospitala-device', '/Observation', sent);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(ledger?.height()).toBe(height);

    const read = await fhir<Observation>('hospitala-doctor', '/Observation/HospitalAMSP.patient-1.fhir-r-1');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(first.body);

    const other = await post<OperationOutcome>(
      'hospitala-device',
      '/Observation',
      heartRate('fhir-r-1', 141, 0),
    );
    expect(other.status).toBe(409);
    expect(other.body.issue[0]?.code).toBe('conflict');
  });

  it('records a transaction Bundle from a device hub as one batch, and its resend not twice', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...Array.from({ length: 12 }, (_, i) => entry(heartRate(`fhir-hr-${i}`, 60 + i, 10 + i))),
        entry(bloodPressure('fhir-bp-1', 118, 76, 30)),
        entry(observation('fhir-spo2-1', '2708-6', 97, '%', at(31))),
      ],
    };
    const first = await post<Bundle>('hospitala-device', '/', bundle);
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('transaction-response');
    expect(first.body.entry?.map((e) => e.response?.status)).toEqual(Array(14).fill('201 Created'));
    expect(first.body.entry?.[12]?.response?.location).toBe('Observation/HospitalAMSP.patient-1.fhir-bp-1');

    const again = await post<Bundle>('hospitala-device', '/', bundle);
    expect(again.body.entry?.map((e) => e.response?.status)).toEqual(Array(14).fill('200 OK'));
    expect(again.body.entry?.map((e) => e.resource)).toEqual(first.body.entry?.map((e) => e.resource));
  });

  it('answers a batch Bundle entry by entry, a wrong unit with its OperationOutcome', async () => {
    const wrongUnit = observation('fhir-temp-1', '8310-5', 98.6, '[degF]', at(40));
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [entry(wrongUnit), entry(observation('fhir-temp-2', '8310-5', 37.2, 'Cel', at(41)))],
    };
    const { status, body } = await post<Bundle>('hospitala-device', '/', batch);
    expect(status).toBe(200);
    expect(body.entry?.map((e) => e.response?.status)).toEqual(['400 Bad Request', '201 Created']);
    const outcome = body.entry?.[0]?.response?.outcome as OperationOutcome;
    expect(outcome.issue[0]?.expression).toEqual(['Bundle.entry[0].resource.valueQuantity.code']);
  });

  it("searches a patient's vitals by code and date and pages through them with next links", async () => {
    const query = new URLSearchParams({
      patient: 'Patient/HospitalAMSP.patient-1',
      category: 'vital-signs',
      code: 'http://loinc.org|8867-4',
      _count: '5',
      _sort: 'date',
    });
    query.append('date', `ge${at(10)}`);
    query.append('date', `lt${at(22)}`);
    let next: string | undefined = `/Observation?${query.toString()}`;
    const seen: string[] = [];
    let pages = 0;
    while (next !== undefined) {
      const page: Answer<Bundle> = await fhir<Bundle>('hospitala-doctor', next);
      expect(page.status).toBe(200);
      expect(page.body.type).toBe('searchset');
      expect(page.body.entry?.length ?? 0).toBeLessThanOrEqual(5);
      seen.push(
        ...(page.body.entry ?? []).map((e) => (e.resource as Observation).identifier?.[0]?.value ?? ''),
      );
      next = page.body.link?.find((l) => l.relation === 'next')?.url;
      pages += 1;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `fhir-hr-${i}`));
  });

  it('filters by several codes and answers a search that matches nothing with an empty searchset', async () => {
    const both = await fhir('hospitala-doctor', '/Observation?patient=patient-1&code=85354-9,2708-6');
    expect(both.body.entry?.map((e) => (e.resource as Observation).code.coding?.[0]?.code)).toEqual([
      '85354-9',
      '2708-6',
    ]);
    const lab = await fhir('hospitala-doctor', '/Observation?patient=patient-1&category=laboratory');
    expect(lab.status).toBe(200);
    expect(lab.body.entry).toEqual([]);
    const sorted = await fhir<OperationOutcome>(
      'hospitala-doctor',
      '/Observation?patient=patient-1&_sort=-date',
    );
    expect(sorted.status).toBe(400);
    expect(sorted.body.issue[0]?.expression).toEqual(['_sort']);
  });

  it('refuses a lab technician and another hospital without consent with an OperationOutcome 403', async () => {
    const id = '/Observation/HospitalAMSP.patient-1.fhir-r-1';
    const search = '/Observation?patient=Patient/HospitalAMSP.patient-1&category=vital-signs';
    for (const [who, code] of [
      ['lab-technician', 'ACCESS_DENIED'],
      ['hospitalb-doctor', 'CONSENT_REQUIRED'],
    ] as const) {
      for (const path of [id, search]) {
        const { status, body } = await fhir<OperationOutcome>(who, path);
        expect(status).toBe(403);
        expect(body.resourceType).toBe('OperationOutcome');
        expect(body.issue[0]?.code).toBe('forbidden');
        expect(codeOf(body)).toBe(code);
      }
    }
    // A search that matches nothing is no way around it either.
    const nothing = await fhir<OperationOutcome>('hospitalb-doctor', `${search}&category=laboratory`);
    expect(nothing.status).toBe(403);
    const write = await post<OperationOutcome>(
      'hospitalb-nurse',
      '/Observation',
      heartRate('fhir-b-1', 70, 50),
    );
    expect(write.status).toBe(403);
  });

  it("lets another hospital read with the patient's consent, logged in the patient's access log", async () => {
    const patient = newCareLedgerClient({
      baseUrl: stack?.gateway.url ?? '',
      apiKey: stack?.keys['hospitala-patient'] ?? '',
    });
    const consent = await patient.POST('/api/v1/consents', {
      body: {
        patientId: 'patient-1',
        granteeMspId: 'HospitalBMSP',
        scopes: ['vitals'],
        purpose: 'second opinion',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(consent.response.status).toBe(201);
    const read = await fhir<Observation>('hospitalb-doctor', '/Observation/HospitalAMSP.patient-1.fhir-r-1');
    expect(read.status).toBe(200);
    expect(read.body.subject?.reference).toBe('Patient/HospitalAMSP.patient-1');
    const log = await patient.GET('/api/v1/patients/{patientId}/access-log', {
      params: { path: { patientId: 'patient-1' } },
    });
    expect(log.data?.data.some((e) => e.action === 'readVitals' && e.accessor.mspId === 'HospitalBMSP')).toBe(
      true,
    );
  });

  it('answers errors as OperationOutcome: no credentials, unknown ids and types, methods', async () => {
    const anonymous = await fhir<OperationOutcome>(undefined, '/Observation?patient=patient-1');
    expect([anonymous.status, anonymous.body.issue[0]?.code]).toEqual([401, 'login']);
    const missing = await fhir<OperationOutcome>(
      'hospitala-doctor',
      '/Observation/HospitalAMSP.patient-1.nope',
    );
    expect([missing.status, missing.body.issue[0]?.code]).toEqual([404, 'not-found']);
    const dispense = await fhir<OperationOutcome>('hospitala-doctor', '/MedicationDispense/HospitalAMSP.x');
    expect([dispense.status, dispense.body.issue[0]?.code]).toEqual([404, 'not-found']);
    const remove = await fhir<OperationOutcome>('hospitala-doctor', '/Observation/x', { method: 'DELETE' });
    expect([remove.status, remove.body.issue[0]?.code]).toEqual([405, 'not-supported']);
  });
});

describe('FHIR R4: lab results, prescriptions, patients, devices, consents and the access log', () => {
  const client = (who: string) =>
    newCareLedgerClient({ baseUrl: stack?.gateway.url ?? '', apiKey: stack?.keys[who] ?? '' });
  const grant = async (granteeMspId: string, scopes: ('labResults' | 'prescriptions' | 'demographics')[]) => {
    const consent = await client('hospitala-patient').POST('/api/v1/consents', {
      body: {
        patientId: 'patient-1',
        granteeMspId,
        scopes,
        purpose: 'care',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(consent.response.status).toBe(201);
  };
  const ids = (b: Bundle) =>
    (b.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id);

  beforeAll(async () => {
    await grant('LabMSP', ['labResults']);
    await grant('PharmacyMSP', ['prescriptions']);
    const lab = client('lab-technician');
    for (const [resultId, loinc, value, observedAt] of [
      ['glu-1', '2345-7', 95, at(100)],
      ['hb-1', '718-7', 13.5, at(200)],
      ['cov-1', '94500-6', 'not detected', at(300)],
    ] as const) {
      const res = await lab.POST('/api/v1/lab-results', {
        body: {
          resultId,
          patientId: 'patient-1',
          custodianMspId: 'HospitalAMSP',
          loinc,
          value,
          unit: typeof value === 'number' ? 'mg/dL' : '',
          observedAt,
        },
      });
      expect(res.response.status).toBe(201);
    }
    const rx = await client('hospitala-doctor').POST('/api/v1/prescriptions', {
      body: {
        prescriptionId: 'rx-1',
        patientId: 'patient-1',
        atc: 'C09AA05',
        medication: 'Ramipril 5 mg',
        dosage: 'one each morning',
        quantity: 30,
      },
    });
    expect(rx.response.status).toBe(201);
  });

  it('serves lab results as laboratory Observations, by category, code and date, and by id', async () => {
    const all = await fhir('hospitala-doctor', '/Observation?patient=patient-1&category=laboratory');
    expect(all.status).toBe(200);
    expect(ids(all.body).sort()).toEqual([
      'HospitalAMSP.patient-1.LabMSP.cov-1',
      'HospitalAMSP.patient-1.LabMSP.glu-1',
      'HospitalAMSP.patient-1.LabMSP.hb-1',
    ]);
    const text = (all.body.entry ?? [])
      .map((e) => e.resource as Observation)
      .find((o) => o.code.coding?.[0]?.code === '94500-6');
    expect([text?.valueString, text?.performer?.[0]?.identifier?.value]).toEqual(['not detected', 'LabMSP']);
    const glucose = await fhir(
      'hospitala-doctor',
      `/Observation?patient=patient-1&code=http://loinc.org|2345-7&date=le${at(150)}`,
    );
    expect(ids(glucose.body)).toEqual(['HospitalAMSP.patient-1.LabMSP.glu-1']);
    const later = await fhir(
      'hospitala-doctor',
      `/Observation?patient=patient-1&category=laboratory&date=gt${at(150)}`,
    );
    expect(ids(later.body).sort()).toEqual([
      'HospitalAMSP.patient-1.LabMSP.cov-1',
      'HospitalAMSP.patient-1.LabMSP.hb-1',
    ]);
    const read = await fhir<Observation>(
      'hospitala-doctor',
      '/Observation/HospitalAMSP.patient-1.LabMSP.hb-1',
    );
    expect([read.status, read.body.valueQuantity?.value, read.body.category?.[0]?.coding?.[0]?.code]).toEqual(
      [200, 13.5, 'laboratory'],
    );
  });

  it("answers a lab technician its own lab's results and no vitals, with the refusal as a warning", async () => {
    const mixed = await fhir('lab-technician', '/Observation?patient=HospitalAMSP.patient-1');
    expect(mixed.status).toBe(200);
    expect(ids(mixed.body)).toHaveLength(3);
    const outcome = mixed.body.entry?.find((e) => e.search?.mode === 'outcome')?.resource as OperationOutcome;
    expect([outcome.issue[0]?.severity, codeOf(outcome)]).toEqual(['warning', 'ACCESS_DENIED']);
    const vitals = await fhir<OperationOutcome>(
      'lab-technician',
      '/Observation?patient=HospitalAMSP.patient-1&category=vital-signs',
    );
    expect(vitals.status).toBe(403);
    const nurse = await fhir<OperationOutcome>(
      'hospitala-nurse',
      '/Observation?patient=patient-1&category=laboratory',
    );
    expect([nurse.status, codeOf(nurse.body)]).toEqual([403, 'ACCESS_DENIED']);
  });

  it('serves prescriptions as MedicationRequests whose status follows the dispensed quantity', async () => {
    const pharmacist = client('pharmacy-pharmacist');
    const dispense = (dispensationId: string, quantity: number) =>
      pharmacist.POST('/api/v1/dispensations', {
        body: {
          dispensationId,
          prescriptionId: 'rx-1',
          patientId: 'patient-1',
          custodianMspId: 'HospitalAMSP',
          quantity,
        },
      });
    expect((await dispense('d-1', 10)).response.status).toBe(201);
    const id = '/MedicationRequest/HospitalAMSP.patient-1.rx-1';
    const partly = await fhir<MedicationRequest>('hospitala-doctor', id);
    expect(partly.status).toBe(200);
    expect(partly.body).toMatchObject({
      status: 'active',
      medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'C09AA05' }] },
      dosageInstruction: [{ text: 'one each morning' }],
      dispenseRequest: { quantity: { value: 30 } },
    });
    expect((await dispense('d-2', 20)).response.status).toBe(201);
    const search = await fhir('pharmacy-pharmacist', '/MedicationRequest?patient=HospitalAMSP.patient-1');
    expect(search.status).toBe(200);
    expect((search.body.entry ?? []).map((e) => (e.resource as MedicationRequest).status)).toEqual([
      'completed',
    ]);
    const refused = await fhir<OperationOutcome>(
      'hospitalb-doctor',
      '/MedicationRequest?patient=HospitalAMSP.patient-1',
    );
    expect(refused.status).toBe(403);
  });

  it('answers demographics as a Patient only to whom the ledger answers them', async () => {
    const path = '/Patient/HospitalAMSP.patient-1';
    const own = await fhir<Patient>('hospitala-doctor', path);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      name: [{ text: 'Ada Example' }],
      birthDate: '1980-02-03',
      gender: 'female',
    });
    expect((await fhir<Patient>('hospitala-patient', path)).status).toBe(200);
    for (const [who, code] of [
      ['hospitalb-doctor', 'CONSENT_REQUIRED'],
      ['lab-technician', 'ACCESS_DENIED'],
      ['pharmacy-pharmacist', 'ACCESS_DENIED'],
    ] as const) {
      const { status, body } = await fhir<OperationOutcome>(who, path);
      expect([status, body.resourceType, codeOf(body)]).toEqual([403, 'OperationOutcome', code]);
    }
  });

  it("reads a device of the caller's organisation", async () => {
    const device = await fhir<Device>('hospitala-nurse', '/Device/HospitalAMSP.hospitala-device-1');
    expect(device.status).toBe(200);
    expect(device.body).toMatchObject({
      type: { text: 'monitor' },
      patient: { reference: 'Patient/HospitalAMSP.patient-1' },
    });
    const other = await fhir<OperationOutcome>('hospitalb-nurse', '/Device/HospitalAMSP.hospitala-device-1');
    expect(other.status).toBe(403);
  });

  it('gives the patient their consents and their access log; a doctor neither', async () => {
    const consents = await fhir('hospitala-patient', '/Consent?patient=patient-1');
    expect(consents.status).toBe(200);
    const grantees = (consents.body.entry ?? []).map(
      (e) => (e.resource as Consent).provision?.actor?.[0]?.reference?.identifier?.value,
    );
    expect(grantees.sort()).toEqual(['HospitalBMSP', 'LabMSP', 'PharmacyMSP']);
    const statuses = (consents.body.entry ?? []).map((e) => (e.resource as Consent).status);
    expect(statuses).toEqual(['active', 'active', 'active']);

    const log = await fhir('hospitala-patient', '/AuditEvent?patient=patient-1&_count=200');
    expect(log.status).toBe(200);
    const events = (log.body.entry ?? []).map((e) => e.resource as AuditEvent);
    const actions = new Set(
      events.map((e) => `${e.agent[0]?.who?.display ?? ''} ${e.subtype?.[0]?.code ?? ''}`),
    );
    expect([...actions]).toEqual(
      expect.arrayContaining(['doctor of HospitalBMSP readVitals', 'pharmacist of PharmacyMSP dispense']),
    );

    for (const path of ['/Consent?patient=patient-1', '/AuditEvent?patient=patient-1']) {
      const { status, body } = await fhir<OperationOutcome>('hospitala-doctor', path);
      expect([status, codeOf(body)]).toEqual([403, 'ACCESS_DENIED']);
    }
  });
});

describe('FHIR R4 through a FHIR client library (fhir-kit-client)', () => {
  const clientAs = (who: string) =>
    new Client({
      baseUrl: `${stack?.gateway.url ?? ''}/fhir/R4`,
      customHeaders: { 'x-api-key': stack?.keys[who] ?? '' },
    });
  /** Every answer the client receives is validated like fetch's. */
  const checked = <T>(resource: unknown): T => {
    expect(validator.issues(resource)).toEqual([]);
    return resource as T;
  };

  it("posts a device hub's transaction Bundle, then searches by code and date and pages through", async () => {
    const hub = clientAs('hospitala-device');
    const readings = Array.from({ length: 7 }, (_, i) => entry(heartRate(`fkc-hr-${i}`, 70 + i, 500 + i)));
    const created = checked<Bundle>(
      await hub.transaction({ body: { resourceType: 'Bundle', type: 'transaction', entry: readings } }),
    );
    expect(created.entry?.map((e) => e.response?.status)).toEqual(Array(7).fill('201 Created'));

    const doctor = clientAs('hospitala-doctor');
    let page: Bundle | undefined = checked<Bundle>(
      await doctor.search({
        resourceType: 'Observation',
        searchParams: {
          patient: 'Patient/HospitalAMSP.patient-1',
          code: 'http://loinc.org|8867-4',
          date: [`ge${at(500)}`, `lt${at(600)}`],
          _count: 3,
        },
      }),
    );
    const seen: string[] = [];
    while (page !== undefined) {
      seen.push(...(page.entry ?? []).map((e) => (e.resource as Observation).identifier?.[0]?.value ?? ''));
      const next: Promise<unknown> | undefined = doctor.nextPage({ bundle: page as never });
      page = next === undefined ? undefined : checked<Bundle>(await next);
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `fkc-hr-${i}`));
  });

  it('reads the access log as AuditEvents as the patient, and gets the ledger refusal as an error', async () => {
    const patient = clientAs('hospitala-patient');
    const log = checked<Bundle>(
      await patient.search({ resourceType: 'AuditEvent', searchParams: { patient: 'patient-1' } }),
    );
    const events = (log.entry ?? []).map((e) => e.resource as AuditEvent);
    expect(events.some((e) => e.agent[0]?.who?.display === 'doctor of HospitalBMSP')).toBe(true);
    expect(events.every((e) => e.entity?.[0]?.what?.reference === 'Patient/HospitalAMSP.patient-1')).toBe(
      true,
    );

    const refused = await clientAs('hospitala-nurse')
      .search({ resourceType: 'AuditEvent', searchParams: { patient: 'patient-1' } })
      .then(
        () => undefined,
        (err: { response?: { status: number; data: unknown } }) => err.response,
      );
    expect(refused?.status).toBe(403);
    expect(codeOf(checked<OperationOutcome>(refused?.data))).toBe('ACCESS_DENIED');
  });
});
