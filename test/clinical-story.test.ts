import type { RunningGateway } from '@careledger/gateway-api';
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

interface Answer {
  status: number;
  body: {
    data?: unknown;
    page?: { bookmark: string; count: number };
    meta?: { transactionId: string; statusUrl?: string };
    error?: { code: string; message: string; details?: unknown };
  };
  headers: Headers;
}

async function api(
  as: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { 'x-api-key': keys[as] ?? 'clk_none', 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'], headers: res.headers };
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
            if (data !== undefined)
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
  type: 'heartRate',
  value,
  unit: '/min',
  observedAt,
});

describe(`the clinical story over HTTP against ${externalConnection ?? 'the embedded network'}`, () => {
  it('registers, streams, alerts, shares under consent, logs, revokes and denies', async () => {
    const registered = await api('hospitala-nurse', 'POST', '/patients', {
      patientId: 'patient-1',
      demographics: {
        name: 'Ada Example',
        birthDate: '1980-02-03',
        sex: 'female',
        allergies: ['penicillin'],
      },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.data).toMatchObject({ patientId: 'patient-1', custodianMspId: 'HospitalAMSP' });
    expect(JSON.stringify(registered.body)).not.toContain('Ada');

    const device = await api('hospitala-nurse', 'POST', '/devices', {
      deviceId: 'hospitala-device-1',
      type: 'pulse-oximeter',
      patientId: 'patient-1',
    });
    expect(device.status).toBe(201);

    const alerts = listen('hospitala-doctor', 1);
    await new Promise((r) => setTimeout(r, 500));
    const abnormal = await api('hospitala-device', 'POST', '/vitals', reading('r-1', 140));
    expect(abnormal.status).toBe(201);
    expect(abnormal.body.data).toMatchObject({
      replayed: false,
      reading: { flag: 'critical', news2Score: 3, direction: 'high' },
    });
    const [alert] = await alerts;
    expect(alert).toMatchObject({
      event: 'VitalAbnormal',
      data: { alerts: [{ readingId: 'r-1', patientId: 'patient-1' }] },
    });

    // Patient ids are each hospital's own: Hospital B has no patient-1, and names Hospital A to read its.
    const notTheirs = await api('hospitalb-doctor', 'GET', '/patients/patient-1/vitals');
    expect(notTheirs.status).toBe(404);
    const denied = await api('hospitalb-doctor', 'GET', '/patients/patient-1/vitals?custodian=HospitalAMSP');
    expect(denied.status).toBe(403);
    expect(denied.body.error?.code).toBe('CONSENT_REQUIRED');

    const consent = await api('hospitala-patient', 'POST', '/consents', {
      patientId: 'patient-1',
      granteeMspId: 'HospitalBMSP',
      scopes: ['vitals', 'demographics'],
      purpose: 'second opinion',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(consent.status).toBe(201);
    const consentId = (consent.body.data as { consentId: string }).consentId;

    const shared = await api('hospitalb-doctor', 'GET', '/patients/patient-1/vitals?custodian=HospitalAMSP');
    expect(shared.status).toBe(200);
    expect((shared.body.data as { readingId: string }[]).map((r) => r.readingId)).toEqual(['r-1']);
    const demographics = await api(
      'hospitalb-doctor',
      'GET',
      '/patients/patient-1/demographics?custodian=HospitalAMSP',
    );
    expect(demographics.status).toBe(200);
    expect(demographics.body.data).toMatchObject({ name: 'Ada Example' });

    const log = await api('hospitala-patient', 'GET', '/patients/patient-1/access-log');
    expect(
      (log.body.data as { action: string; accessor: { mspId: string }; consentId: string }[]).map((e) => [
        e.action,
        e.accessor.mspId,
        e.consentId,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['readVitals', 'HospitalBMSP', consentId],
        ['readDemographics', 'HospitalBMSP', consentId],
      ]),
    );

    const revoked = await api('hospitala-patient', 'DELETE', `/patients/patient-1/consents/${consentId}`);
    expect(revoked.status).toBe(200);
    const after = await api('hospitalb-doctor', 'GET', '/patients/patient-1/vitals?custodian=HospitalAMSP');
    expect(after.status).toBe(403);
    expect(after.body.error?.code).toBe('CONSENT_REQUIRED');
  });

  it('answers a replayed reading 200 with the stored one, writing nothing, and a conflicting one with 409', async () => {
    const observedAt = now();
    const first = await api('hospitala-device', 'POST', '/vitals', reading('r-replay', 80, observedAt));
    expect(first.status).toBe(201);
    // The embedded network shows that the replay adds no block (a real network may cut others' meanwhile).
    const ledger = externalConnection === undefined ? (stack as EmbeddedStack).devnet.ledger : undefined;
    const height = ledger?.height();
    const again = await api('hospitala-device', 'POST', '/vitals', reading('r-replay', 80, observedAt));
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({
      replayed: true,
      reading: (first.body.data as { reading: unknown }).reading,
    });
    expect(again.body.meta).toBeUndefined(); // no transaction of its own
    expect(ledger?.height()).toBe(height);
    const batchAgain = await api('hospitala-device', 'POST', '/vitals/batch', {
      readings: [reading('r-replay', 80, observedAt)],
    });
    expect(batchAgain.status).toBe(200);
    expect(ledger?.height()).toBe(height);
    const conflict = await api('hospitala-device', 'POST', '/vitals', reading('r-replay', 81, observedAt));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error?.code).toBe('CONFLICT');
  });

  it('pages through readings with bookmarks', async () => {
    const base = Date.now() - 3_600_000;
    const readings = Array.from({ length: 12 }, (_, i) =>
      reading(`page-${i}`, 70, new Date(base + i * 1000).toISOString()),
    );
    expect((await api('hospitala-nurse', 'POST', '/vitals/batch', { readings })).status).toBe(201);
    const seen: string[] = [];
    let bookmark = '';
    const from = new Date(base).toISOString();
    const to = new Date(base + 60_000).toISOString();
    do {
      const page = await api(
        'hospitala-doctor',
        'GET',
        `/patients/patient-1/vitals?pageSize=5&from=${from}&to=${to}${bookmark ? `&bookmark=${bookmark}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...(page.body.data as { readingId: string }[]).map((r) => r.readingId));
      bookmark = page.body.page?.bookmark ?? '';
    } while (bookmark !== '');
    expect(seen).toEqual(readings.map((r) => r.readingId));
  });

  it('accepts an asynchronous reading with 202 and reports its commit', async () => {
    const accepted = await api('hospitala-device', 'POST', '/vitals', reading('r-async', 75), {
      prefer: 'respond-async',
    });
    expect(accepted.status).toBe(202);
    const statusUrl = accepted.headers.get('location') ?? '';
    let state = 'queued';
    for (let i = 0; i < 100 && state === 'queued'; i++) {
      const res = await fetch(`${gateway.url}${statusUrl}`, {
        headers: { 'x-api-key': keys['hospitala-device'] ?? '' },
      });
      state = ((await res.json()) as { data: { status: string } }).data.status;
      if (state === 'queued') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('committed');
  });

  it('maps bad input, unknown records, wrong roles and missing credentials to stable errors', async () => {
    expect(
      (await api('hospitala-device', 'POST', '/vitals', { ...reading('r-bad', 70), unit: 'bpm' })).body.error,
    ).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(
      (await api('hospitala-device', 'POST', '/vitals', { ...reading('r-bad', 400) })).body.error?.code,
    ).toBe('INVALID_ARGUMENT');
    expect((await api('hospitala-doctor', 'GET', '/patients/nobody/vitals')).status).toBe(404);
    expect((await api('lab-technician', 'POST', '/vitals', reading('r-lab', 70))).status).toBe(403);
    expect((await api('nobody', 'GET', '/organizations')).status).toBe(401);
    const orgs = await api('pharmacy-pharmacist', 'GET', '/organizations');
    expect((orgs.body.data as { mspId: string }[]).map((o) => o.mspId)).toEqual([
      'HospitalAMSP',
      'HospitalBMSP',
      'LabMSP',
      'PharmacyMSP',
    ]);
  });
});
