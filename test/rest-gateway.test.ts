import { type Devnet } from '@careledger/devnet';
import { loadConnectionFile } from '@careledger/fabric-toolkit';
import { loadConfig, newCareLedgerClient, startGateway, type RunningGateway } from '@careledger/gateway-api';
import pino from 'pino';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack';

jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });
let dataDir: string;
let devnet: Devnet;
let gateway: RunningGateway;
const keys: Record<string, string> = {};

async function api(
  as: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method,
    headers: { 'x-api-key': keys[as] ?? 'clk_none', 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as {
    data?: unknown;
    error?: { code: string; details?: unknown };
    meta?: unknown;
  };
  return { status: res.status, headers: res.headers, ...json };
}

const reading = (readingId: string, value: number) => ({
  readingId,
  patientId: 'patient-1',
  type: 'heartRate',
  value,
  unit: '/min',
  observedAt: new Date(Date.now() - 1000).toISOString(),
});

/** Open an event stream and collect its messages until `close()`. */
function subscribe(as: string, lastEventId?: string) {
  const controller = new AbortController();
  const received: { id: string; event: string; data: { alerts?: { readingId: string }[] } }[] = [];
  const notices: { event: string; data: { readingId?: string } }[] = [];
  const opened = fetch(`${gateway.url}/api/v1/events`, {
    headers: { 'x-api-key': keys[as] ?? '', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  }).then(async (res) => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const field = (n: string) => lines.find((l) => l.startsWith(`${n}: `))?.slice(n.length + 2);
          const data = field('data');
          if (data === undefined) continue;
          // Chaincode events (with an id) apart from the ids-only notices of committed readings.
          if (field('id') === undefined)
            notices.push({ event: field('event') ?? '', data: JSON.parse(data) });
          else received.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
  });
  return {
    received,
    notices,
    async until(count: number, ms = 10_000) {
      const end = Date.now() + ms;
      while (received.length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      return received;
    },
    async close() {
      controller.abort();
      await opened.catch(() => undefined);
    },
  };
}

let stack: EmbeddedStack | undefined;

beforeAll(async () => {
  stack = await startEmbeddedStack('gw', { BODY_LIMIT: '64kb' });
  ({ dataDir, devnet, gateway } = stack);
  Object.assign(keys, stack.keys);
  const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' };
  expect(
    (await api('hospitala-nurse', 'POST', '/patients', { patientId: 'patient-1', demographics })).status,
  ).toBe(201);
  const device = { deviceId: 'hospitala-device-1', type: 'pulse-oximeter', patientId: 'patient-1' };
  expect((await api('hospitala-nurse', 'POST', '/devices', device)).status).toBe(201);
});

afterAll(async () => {
  await stack?.close();
});

describe('the REST gateway against the embedded network', () => {
  it('streams alerts to the custodian and the patient only, and resumes after Last-Event-ID', async () => {
    const doctor = subscribe('hospitala-doctor');
    const patient = subscribe('hospitala-patient');
    const outsider = subscribe('hospitalb-doctor');
    await new Promise((r) => setTimeout(r, 300));
    expect((await api('hospitala-device', 'POST', '/vitals', reading('sse-1', 150))).status).toBe(201);
    const [first] = await doctor.until(1);
    await doctor.close();
    expect(first).toMatchObject({ event: 'VitalAbnormal', data: { alerts: [{ readingId: 'sse-1' }] } });
    expect(first?.id).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect((await patient.until(1)).map((e) => e.data.alerts?.[0]?.readingId)).toEqual(['sse-1']);
    // Every committed reading, normal or not, is also a ReadingCommitted notice (ids only) to them.
    await api('hospitala-device', 'POST', '/vitals', reading('sse-0', 72));
    for (let i = 0; i < 100 && !patient.notices.some((n) => n.data.readingId === 'sse-0'); i += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(patient.notices.map((n) => [n.event, n.data.readingId])).toEqual([
      ['ReadingCommitted', 'sse-1'],
      ['ReadingCommitted', 'sse-0'],
    ]);

    // Missed while disconnected: a normal reading (no event) and two abnormal ones.
    await api('hospitala-device', 'POST', '/vitals', reading('sse-2', 72));
    await api('hospitala-device', 'POST', '/vitals', reading('sse-3', 30));
    await api('hospitala-device', 'POST', '/vitals', reading('sse-4', 160));
    const resumed = subscribe('hospitala-doctor', first?.id);
    const missed = await resumed.until(2);
    await resumed.close();
    expect(missed.map((e) => e.data.alerts?.[0]?.readingId)).toEqual(['sse-3', 'sse-4']);

    await patient.close();
    await outsider.close();
    expect(outsider.received).toEqual([]);
    expect(outsider.notices).toEqual([]);
  });

  it('reports an asynchronous reading as committed, to its sender and to whoever may read it', async () => {
    const height = devnet.ledger.height();
    const accepted = await api('hospitala-device', 'POST', '/vitals', reading('async-1', 70), {
      prefer: 'respond-async',
    });
    expect(accepted.status).toBe(202);
    const url = accepted.headers.get('location') ?? '';
    expect(url).toMatch(/^\/api\/v1\/submissions\//);
    let status: { status?: string; blockNumber?: string; transactionId?: string } = {};
    for (let i = 0; i < 100 && status.status !== 'committed'; i++) {
      const res = await fetch(`${gateway.url}${url}`, {
        headers: { 'x-api-key': keys['hospitala-device'] ?? '' },
      });
      status = ((await res.json()) as { data: typeof status }).data;
      if (status.status !== 'committed') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toMatchObject({ status: 'committed', blockNumber: expect.stringMatching(/^\d+$/) });
    expect(devnet.ledger.height()).toBeGreaterThan(height);
    const stored = await api('hospitala-doctor', 'GET', '/patients/patient-1/vitals/async-1');
    expect((stored.data as { txId: string }).txId).toBe(status.transactionId);
    const doctor = await fetch(`${gateway.url}${url}`, {
      headers: { 'x-api-key': keys['hospitala-doctor'] ?? '' },
    });
    expect(doctor.status).toBe(200);
    // The pharmacist may not read the patient's vitals, so it may not learn of the submission either.
    const outsider = await fetch(`${gateway.url}${url}`, {
      headers: { 'x-api-key': keys['pharmacy-pharmacist'] ?? '' },
    });
    expect(outsider.status).toBe(404);
  });

  it('tells where the time went and counts it', async () => {
    const write = await api('hospitala-device', 'POST', '/vitals', reading('timing-1', 70));
    expect(write.headers.get('server-timing')).toMatch(
      /endorse;dur=[\d.]+, submit;dur=[\d.]+, commit;dur=[\d.]+/,
    );
    const read = await api('hospitala-doctor', 'GET', '/patients/patient-1/vitals/timing-1');
    expect(read.headers.get('server-timing')).toMatch(/^evaluate;dur=/);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(
      /careledger_ledger_phase_duration_seconds_count\{phase="commit",transaction="Vitals:record"\} \d+/,
    );
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it('answers bad requests with stable 4xx errors and never touches the ledger', async () => {
    const height = devnet.ledger.height();
    const text = await api('hospitala-device', 'POST', '/vitals', 'x', { 'content-type': 'text/plain' });
    expect([text.status, text.error?.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const big = await api('hospitala-device', 'POST', '/vitals', {
      ...reading('big', 70),
      pad: 'x'.repeat(70_000),
    });
    expect([big.status, big.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const batch = await api('hospitala-device', 'POST', '/vitals/batch', {
      readings: Array.from({ length: 51 }, (_, i) => reading(`b-${i}`, 70)),
    });
    expect([batch.status, batch.error?.code, batch.error?.details]).toEqual([
      400,
      'INVALID_ARGUMENT',
      expect.objectContaining({ field: 'readings' }),
    ]);
    expect((await api('hospitala-device', 'GET', '/nowhere')).error?.code).toBe('ROUTE_NOT_FOUND');
    expect((await api('hospitala-device', 'PATCH', '/vitals', {})).status).toBe(405);
    const badId = await api('hospitala-doctor', 'GET', '/events', undefined, { 'last-event-id': 'x' });
    expect(badId.status).toBe(400);
    const { key, record } = gateway.apiKeys.create('hospitala-nurse');
    gateway.apiKeys.revoke(record.keyId);
    const revoked = await fetch(`${gateway.url}/api/v1/organizations`, { headers: { 'x-api-key': key } });
    expect(revoked.status).toBe(401);
    expect(devnet.ledger.height()).toBe(height);
  });

  it('prescribes, and a consented pharmacy reads (logged) and dispenses (through the typed client)', async () => {
    const as = (who: string) =>
      newCareLedgerClient({ baseUrl: gateway.url, apiKey: keys[who] ?? 'clk_none' });
    const consent = await as('hospitala-patient').POST('/api/v1/consents', {
      body: {
        patientId: 'patient-1',
        granteeMspId: 'PharmacyMSP',
        scopes: ['prescriptions'],
        purpose: 'shared care',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(consent.response.status).toBe(201);
    const rx = await as('hospitala-doctor').POST('/api/v1/prescriptions', {
      body: {
        prescriptionId: 'rx-1',
        patientId: 'patient-1',
        atc: 'C09AA05',
        medication: 'ramipril',
        dosage: '5 mg daily',
        quantity: 30,
      },
    });
    expect(rx.response.status).toBe(201);
    const read = await as('pharmacy-pharmacist').GET('/api/v1/patients/{patientId}/prescriptions', {
      params: { path: { patientId: 'patient-1' }, query: { custodian: 'HospitalAMSP' } },
    });
    expect([
      read.response.status,
      read.data?.data.map((p) => [p.prescriptionId, p.dispensedQuantity]),
    ]).toEqual([200, [['rx-1', 0]]]);
    const dispensed = await as('pharmacy-pharmacist').POST('/api/v1/dispensations', {
      body: {
        dispensationId: 'd-1',
        prescriptionId: 'rx-1',
        patientId: 'patient-1',
        custodianMspId: 'HospitalAMSP',
        quantity: 30,
      },
    });
    expect(dispensed.response.status).toBe(201);
    expect(dispensed.data && 'data' in dispensed.data ? dispensed.data.data.pharmacyMspId : '').toBe(
      'PharmacyMSP',
    );
    const log = await as('hospitala-patient').GET('/api/v1/patients/{patientId}/access-log', {
      params: { path: { patientId: 'patient-1' } },
    });
    expect(log.data?.data.map((e) => [e.accessor.mspId, e.action])).toEqual([
      ['PharmacyMSP', 'readPrescriptions'],
      ['PharmacyMSP', 'dispense'],
    ]);
  });

  it('answers 504 with a status URL when the commit is not seen in time, and the URL reports it', async () => {
    const impatient = await startGateway({
      config: loadConfig({
        PORT: '0',
        CARELEDGER_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        COMMIT_TIMEOUT_MS: '1',
      }),
      connection: await loadConnectionFile(devnet.connectionFilePath),
      logger,
    });
    try {
      const res = await fetch(`${impatient.url}/api/v1/vitals`, {
        method: 'POST',
        headers: { 'x-api-key': keys['hospitala-device'] ?? '', 'content-type': 'application/json' },
        body: JSON.stringify(reading('slow-1', 70)),
      });
      const body = (await res.json()) as { error: { code: string; details: { statusUrl: string } } };
      expect([res.status, body.error.code]).toEqual([504, 'COMMIT_TIMEOUT']);
      const status = await fetch(`${impatient.url}${body.error.details.statusUrl}`, {
        headers: { 'x-api-key': keys['hospitala-device'] ?? '' },
      });
      expect(((await status.json()) as { data: { status: string } }).data.status).toBe('committed');
      // The write did commit, once: sent again, the reading is a replay of the stored record.
      const stored = (await api('hospitala-doctor', 'GET', '/patients/patient-1/vitals/slow-1')).data as {
        observedAt: string;
      };
      const again = await api('hospitala-device', 'POST', '/vitals', {
        ...reading('slow-1', 70),
        observedAt: stored.observedAt,
      });
      expect(again.data).toMatchObject({ replayed: true });
    } finally {
      await impatient.close();
    }
  });

  it('answers 503 when the ledger cannot be reached, and /readyz says so while /healthz does not', async () => {
    const connection = await loadConnectionFile(devnet.connectionFilePath);
    const cut = await startGateway({
      config: loadConfig({
        PORT: '0',
        CARELEDGER_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        RETRY_ATTEMPTS: '1',
      }),
      connection: { ...connection, gatewayEndpoint: '127.0.0.1:1' },
      logger,
    });
    try {
      expect((await fetch(`${cut.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${cut.url}/readyz`)).status).toBe(503);
      const res = await fetch(`${cut.url}/api/v1/organizations`, {
        headers: { 'x-api-key': keys['hospitala-doctor'] ?? '' },
      });
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
        503,
        'LEDGER_UNAVAILABLE',
      ]);
    } finally {
      await cut.close();
    }
  });
});
