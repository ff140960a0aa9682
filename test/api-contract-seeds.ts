import type { RequestSeeds } from './openapi-requests';

interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly body: { data?: unknown; meta?: { transactionId?: string } };
}

/** The identities whose API keys the contract run sends, one or more per role. */
const callers = [
  'hospitala-admin',
  'hospitala-doctor',
  'hospitala-nurse',
  'hospitala-device',
  'hospitala-patient',
  'hospitalb-doctor',
  'hospitalb-nurse',
  'lab-technician',
  'pharmacy-pharmacist',
];

function collect(value: unknown, into: Map<string, unknown[]>): void {
  if (Array.isArray(value)) return value.forEach((v) => collect(v, into));
  if (value === null || typeof value !== 'object') return;
  for (const [name, v] of Object.entries(value)) {
    const seen = into.get(name) ?? [];
    if (!seen.some((s) => JSON.stringify(s) === JSON.stringify(v))) seen.push(v);
    into.set(name, seen);
    collect(v, into);
  }
}

/**
 * Writes a little of everything through the API (patients of two hospitals, a device and its
 * signing key, readings one by one, in a batch and asynchronously, consents for a hospital, the
 * lab and the pharmacy, a lab result, a prescription and its dispensation, reads that the access
 * log records) and returns what requests are then built from: the ids, the bodies and their
 * property values, and the callers.
 * @throws Error when a seeding request is not answered 2xx.
 */
export async function seedThroughApi(
  baseUrl: string,
  keys: Readonly<Record<string, string>>,
): Promise<RequestSeeds> {
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const bodies: Record<string, unknown[]> = {};
  const transactionIds: string[] = [];
  const call = async (
    as: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { 'x-api-key': keys[as] ?? '', 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer: Answer = {
      status: res.status,
      location: res.headers.get('location'),
      body: (await res.json()) as Answer['body'],
    };
    if (answer.status >= 300)
      throw new Error(
        `seeding: ${method} ${path} as ${as} answered ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    if (body !== undefined) (bodies[`${method} /api/v1${path}`] ??= []).push(body);
    if (answer.body.meta?.transactionId !== undefined) transactionIds.push(answer.body.meta.transactionId);
    return answer;
  };
  const reading = (readingId: string, value: number, msAgo: number) => ({
    readingId,
    patientId: 'patient-1',
    type: 'heartRate',
    value,
    unit: '/min',
    observedAt: at(msAgo),
  });
  const demographics = {
    name: 'Ada Example',
    birthDate: '1980-02-03',
    sex: 'female',
    allergies: ['penicillin'],
  };
  await call('hospitala-nurse', 'POST', '/patients', { patientId: 'patient-1', demographics });
  await call('hospitalb-nurse', 'POST', '/patients', {
    patientId: 'patient-b1',
    demographics: { ...demographics, name: 'Bo Example' },
  });
  await call('hospitala-nurse', 'POST', '/devices', {
    deviceId: 'hospitala-device-1',
    type: 'pulse-oximeter',
    patientId: 'patient-1',
  });
  await call('hospitala-device', 'POST', '/devices/signing-key');
  await call('hospitala-device', 'POST', '/vitals', reading('r-1', 140, 60_000));
  await call('hospitala-device', 'POST', '/vitals', reading('r-2', 72, 50_000));
  await call('hospitala-nurse', 'POST', '/vitals/batch', {
    readings: [reading('b-1', 70, 40_000), reading('b-2', 71, 30_000)],
  });
  const queued = await call('hospitala-device', 'POST', '/vitals', reading('r-async', 75, 20_000), {
    prefer: 'respond-async',
  });
  const validUntil = new Date(now + 86_400_000).toISOString();
  const consentIds: string[] = [];
  for (const [granteeMspId, scopes] of [
    ['HospitalBMSP', ['vitals', 'demographics']],
    ['LabMSP', ['labResults']],
    ['PharmacyMSP', ['prescriptions']],
  ] as const) {
    const grant = { patientId: 'patient-1', granteeMspId, scopes, purpose: 'contract test', validUntil };
    const granted = await call('hospitala-patient', 'POST', '/consents', grant);
    consentIds.push((granted.body.data as { consentId: string }).consentId);
  }
  await call('lab-technician', 'POST', '/lab-results', {
    resultId: 'lab-1',
    patientId: 'patient-1',
    custodianMspId: 'HospitalAMSP',
    loinc: '2345-7',
    value: 5.4,
    unit: 'mmol/L',
    observedAt: at(10_000),
  });
  const prescription = {
    prescriptionId: 'rx-1',
    patientId: 'patient-1',
    atc: 'C09AA05',
    medication: 'Ramipril',
    dosage: '5 mg daily',
    quantity: 30,
  };
  await call('hospitala-doctor', 'POST', '/prescriptions', prescription);
  await call('pharmacy-pharmacist', 'POST', '/dispensations', {
    dispensationId: 'disp-1',
    prescriptionId: 'rx-1',
    patientId: 'patient-1',
    custodianMspId: 'HospitalAMSP',
    quantity: 10,
  });
  await call('hospitalb-doctor', 'GET', '/patients/patient-1/vitals?custodian=HospitalAMSP');
  const organization = (await call('hospitala-admin', 'GET', '/organizations/HospitalAMSP')).body
    .data as Record<string, unknown>;
  const { mspId: _id, ...upsert } = organization;
  bodies['PUT /api/v1/organizations/{mspId}'] = [upsert];
  bodies['PUT /api/v1/devices/{deviceId}/patient'] = [{ patientId: 'patient-1' }];

  const properties = new Map<string, unknown[]>();
  collect(Object.values(bodies), properties);
  return {
    now,
    params: {
      patientId: ['patient-1', 'patient-b1'],
      deviceId: ['hospitala-device-1'],
      mspId: ['HospitalAMSP', 'HospitalBMSP', 'LabMSP', 'PharmacyMSP'],
      custodian: ['HospitalAMSP', 'HospitalBMSP'],
      readingId: ['r-1', 'r-2', 'b-1', 'r-async'],
      consentId: consentIds,
      prescriptionId: ['rx-1'],
      transactionId: transactionIds,
      submissionId: [queued.location?.split('/').pop() ?? ''],
    },
    properties: Object.fromEntries(properties),
    bodies,
    callers: {
      ...Object.fromEntries(callers.map((name) => [name, { 'x-api-key': keys[name] ?? '' }])),
      'no credential': {},
      'an unknown API key': { 'x-api-key': 'clk_unknown' },
    },
  };
}
