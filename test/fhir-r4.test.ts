import { newCareLedgerClient } from '@careledger/gateway-api';
import type { Bundle, Observation, OperationOutcome } from '@medplum/fhirtypes';
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
    expect(JSON.stringify(body.rest)).not.toMatch(/"type":"(Patient|Device|Consent|AuditEvent)"/);
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
    const search = '/Observation?patient=Patient/HospitalAMSP.patient-1';
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
    const patient = await fhir<OperationOutcome>('hospitala-doctor', '/Patient/HospitalAMSP.patient-1');
    expect([patient.status, patient.body.issue[0]?.code]).toEqual([404, 'not-found']);
    const remove = await fhir<OperationOutcome>('hospitala-doctor', '/Observation/x', { method: 'DELETE' });
    expect([remove.status, remove.body.issue[0]?.code]).toEqual([405, 'not-supported']);
  });
});
