import { newCareLedgerClient, type CareLedgerClient, type RunningGateway } from '@careledger/gateway-api';
import {
  externalConnection,
  startGatewayStack,
  type EmbeddedStack,
  type GatewayStack,
} from './embedded-stack';

jest.setTimeout(60_000);

let gateway: RunningGateway;
const keys: Record<string, string> = {};

let stack: GatewayStack | undefined;

beforeAll(async () => {
  stack = await startGatewayStack('e2e', { COMMIT_TIMEOUT_MS: '20000' });
  ({ gateway } = stack);
  Object.assign(keys, stack.keys);
});

afterAll(async () => {
  await stack?.close();
});

/** The typed client (generated from the OpenAPI document) signed in as one of the demo identities. */
function as(who: string): CareLedgerClient {
  return newCareLedgerClient({ baseUrl: gateway.url, apiKey: keys[who] ?? 'clk_none' });
}

/** A write's answer when it holds the record, not a 202 `{meta}` (asynchronous) one. */
function written<T extends object>(body: T | undefined): Extract<T, { data: unknown }> | undefined {
  return body !== undefined && 'data' in body ? (body as Extract<T, { data: unknown }>) : undefined;
}

/** Collect SSE events until `count` arrived or the time is up. */
function listen(
  as: string,
  count: number,
  lastEventId?: string,
): Promise<{ id: string; event: string; data: unknown }[]> {
  const controller = new AbortController();
  const events: { id: string; event: string; data: unknown }[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort();
      resolve(events);
    }, 15_000);
    fetch(`${gateway.url}/api/v1/events`, {
      headers: { 'x-api-key': keys[as] ?? '', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    })
      .then(async (res) => {
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .find((l) => l.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            const data = field('data');
            // Chaincode events only: the ids-only notices of committed readings carry no id.
            if (data !== undefined && field('id') !== undefined)
              events.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) });
            if (events.length >= count) {
              clearTimeout(timer);
              controller.abort();
              resolve(events);
              return;
            }
          }
        }
      })
      .catch((err: Error) => (err.name === 'AbortError' ? undefined : reject(err)));
  });
}

const now = () => new Date(Date.now() - 1000).toISOString();
const reading = (id: string, value: number, observedAt = now()) => ({
  readingId: id,
  patientId: 'patient-1',
  type: 'heartRate' as const,
  value,
  unit: '/min' as const,
  observedAt,
});
const patient = (patientId: string) => ({ params: { path: { patientId } } });
const atHospitalA = (patientId: string) => ({
  params: { path: { patientId }, query: { custodian: 'HospitalAMSP' } },
});

describe(`the clinical story over HTTP against ${externalConnection ?? 'the embedded network'}`, () => {
  it('registers, streams, alerts, shares under consent, logs, revokes and denies', async () => {
    const registered = await as('hospitala-nurse').POST('/api/v1/patients', {
      body: {
        patientId: 'patient-1',
        demographics: {
          name: 'Ada Example',
          birthDate: '1980-02-03',
          sex: 'female',
          allergies: ['penicillin'],
        },
      },
    });
    expect(registered.response.status).toBe(201);
    expect(written(registered.data)?.data).toMatchObject({
      patientId: 'patient-1',
      custodianMspId: 'HospitalAMSP',
    });
    expect(JSON.stringify(registered.data)).not.toContain('Ada');

    const device = await as('hospitala-nurse').POST('/api/v1/devices', {
      body: { deviceId: 'hospitala-device-1', type: 'pulse-oximeter', patientId: 'patient-1' },
    });
    expect(device.response.status).toBe(201);
    expect(written(device.data)?.data.orgMspId).toBe('HospitalAMSP');

    const alerts = listen('hospitala-doctor', 1);
    await new Promise((r) => setTimeout(r, 500));
    const abnormal = await as('hospitala-device').POST('/api/v1/vitals', { body: reading('r-1', 140) });
    expect(abnormal.response.status).toBe(201);
    expect(written(abnormal.data)?.data).toMatchObject({
      replayed: false,
      reading: { flag: 'critical', news2Score: 3, direction: 'high' },
    });
    const [alert] = await alerts;
    expect(alert).toMatchObject({
      event: 'VitalAbnormal',
      data: { alerts: [{ readingId: 'r-1', patientId: 'patient-1' }] },
    });

    // Patient ids are each hospital's own: Hospital B has no patient-1, and names Hospital A to read its.
    const vitals = '/api/v1/patients/{patientId}/vitals';
    const notTheirs = await as('hospitalb-doctor').GET(vitals, patient('patient-1'));
    expect(notTheirs.response.status).toBe(404);
    const denied = await as('hospitalb-doctor').GET(vitals, atHospitalA('patient-1'));
    expect(denied.response.status).toBe(403);
    expect(denied.error?.error.code).toBe('CONSENT_REQUIRED');

    const consent = await as('hospitala-patient').POST('/api/v1/consents', {
      body: {
        patientId: 'patient-1',
        granteeMspId: 'HospitalBMSP',
        scopes: ['vitals', 'demographics'],
        purpose: 'second opinion',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(consent.response.status).toBe(201);
    const consentId = written(consent.data)?.data.consentId ?? '';
    expect(written(consent.data)?.data).toMatchObject({ status: 'active', granteeMspId: 'HospitalBMSP' });

    const shared = await as('hospitalb-doctor').GET(vitals, atHospitalA('patient-1'));
    expect(shared.response.status).toBe(200);
    expect(shared.data?.data.map((r) => r.readingId)).toEqual(['r-1']);
    const demographics = await as('hospitalb-doctor').GET(
      '/api/v1/patients/{patientId}/demographics',
      atHospitalA('patient-1'),
    );
    expect(demographics.response.status).toBe(200);
    expect(demographics.data?.data).toMatchObject({ name: 'Ada Example' });

    const log = await as('hospitala-patient').GET(
      '/api/v1/patients/{patientId}/access-log',
      patient('patient-1'),
    );
    expect(log.data?.data.map((e) => [e.action, e.accessor.mspId, e.consentId])).toEqual(
      expect.arrayContaining([
        ['readVitals', 'HospitalBMSP', consentId],
        ['readDemographics', 'HospitalBMSP', consentId],
      ]),
    );

    const revoked = await as('hospitala-patient').DELETE(
      '/api/v1/patients/{patientId}/consents/{consentId}',
      {
        params: { path: { patientId: 'patient-1', consentId } },
      },
    );
    expect(revoked.response.status).toBe(200);
    expect(written(revoked.data)?.data.status).toBe('revoked');
    const after = await as('hospitalb-doctor').GET(vitals, atHospitalA('patient-1'));
    expect(after.response.status).toBe(403);
    expect(after.error?.error.code).toBe('CONSENT_REQUIRED');
  });

  it('answers a replayed reading 200 with the stored one, writing nothing, and a conflicting one with 409', async () => {
    const observedAt = now();
    const device = as('hospitala-device');
    const first = await device.POST('/api/v1/vitals', { body: reading('r-replay', 80, observedAt) });
    expect(first.response.status).toBe(201);
    // The embedded network shows that the replay adds no block (a real network may cut others' meanwhile).
    const ledger = externalConnection === undefined ? (stack as EmbeddedStack).devnet.ledger : undefined;
    const height = ledger?.height();
    const again = await device.POST('/api/v1/vitals', { body: reading('r-replay', 80, observedAt) });
    expect(again.response.status).toBe(200);
    expect(written(again.data)?.data).toEqual({ replayed: true, reading: written(first.data)?.data.reading });
    expect(again.data && 'meta' in again.data).toBe(false); // no transaction of its own
    expect(ledger?.height()).toBe(height);
    const batchAgain = await device.POST('/api/v1/vitals/batch', {
      body: { readings: [reading('r-replay', 80, observedAt)] },
    });
    expect(batchAgain.response.status).toBe(200);
    expect(ledger?.height()).toBe(height);
    const conflict = await device.POST('/api/v1/vitals', { body: reading('r-replay', 81, observedAt) });
    expect(conflict.response.status).toBe(409);
    expect(conflict.error?.error.code).toBe('CONFLICT');
  });

  it('pages through readings with bookmarks', async () => {
    const base = Date.now() - 3_600_000;
    const readings = Array.from({ length: 12 }, (_, i) =>
      reading(`page-${i}`, 70, new Date(base + i * 1000).toISOString()),
    );
    const batch = await as('hospitala-nurse').POST('/api/v1/vitals/batch', { body: { readings } });
    expect(batch.response.status).toBe(201);
    const seen: string[] = [];
    let bookmark = '';
    const from = new Date(base).toISOString();
    const to = new Date(base + 60_000).toISOString();
    do {
      const page = await as('hospitala-doctor').GET('/api/v1/patients/{patientId}/vitals', {
        params: {
          path: { patientId: 'patient-1' },
          query: { pageSize: 5, from, to, ...(bookmark ? { bookmark } : {}) },
        },
      });
      expect(page.response.status).toBe(200);
      seen.push(...(page.data?.data ?? []).map((r) => r.readingId));
      bookmark = page.data?.page.bookmark ?? '';
    } while (bookmark !== '');
    expect(seen).toEqual(readings.map((r) => r.readingId));
  });

  it('accepts an asynchronous reading with 202 and reports its commit', async () => {
    const device = as('hospitala-device');
    const accepted = await device.POST('/api/v1/vitals', {
      body: reading('r-async', 75),
      headers: { prefer: 'respond-async' },
    });
    expect(accepted.response.status).toBe(202);
    const meta = accepted.data && !('data' in accepted.data) ? accepted.data.meta : undefined;
    expect(meta && 'submissionId' in meta ? meta.statusUrl : '').toBe(
      accepted.response.headers.get('location'),
    );
    const submissionId = meta && 'submissionId' in meta ? meta.submissionId : '';
    let state = 'queued';
    for (let i = 0; i < 100 && state === 'queued'; i++) {
      const status = await device.GET('/api/v1/submissions/{submissionId}', {
        params: { path: { submissionId } },
      });
      state = status.data?.data.status ?? 'missing';
      if (state === 'queued') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('committed');
  });

  it('maps bad input, unknown records, wrong roles and missing credentials to stable errors', async () => {
    // The typed client refuses these at compile time; the casts send them anyway.
    const badUnit = { ...reading('r-bad', 70), unit: 'bpm' } as unknown as ReturnType<typeof reading>;
    const wrongUnit = await as('hospitala-device').POST('/api/v1/vitals', { body: badUnit });
    expect(wrongUnit.error?.error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const implausible = await as('hospitala-device').POST('/api/v1/vitals', { body: reading('r-bad', 400) });
    expect(implausible.error?.error.code).toBe('INVALID_ARGUMENT');
    const unknown = await as('hospitala-doctor').GET(
      '/api/v1/patients/{patientId}/vitals',
      patient('nobody'),
    );
    expect(unknown.response.status).toBe(404);
    const lab = await as('lab-technician').POST('/api/v1/vitals', { body: reading('r-lab', 70) });
    expect(lab.response.status).toBe(403);
    const nobody = await as('nobody').GET('/api/v1/organizations');
    expect([nobody.response.status, nobody.error?.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const orgs = await as('pharmacy-pharmacist').GET('/api/v1/organizations');
    expect(orgs.data?.data.map((o) => o.mspId)).toEqual([
      'HospitalAMSP',
      'HospitalBMSP',
      'LabMSP',
      'PharmacyMSP',
    ]);
  });
});
