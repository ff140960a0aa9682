import fc from 'fast-check';
import pino from 'pino';
import { transactionCatalog } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { routeTable } from '../routes/route-table';
import { startTestApp } from '../testing/test-app';
import { sampleReading } from '../testing/sample-reading';

function setUp() {
  return startTestApp();
}

const reading = sampleReading;

describe('REST app logging', () => {
  it('never logs API keys, bearer tokens or demographics, even when the call fails', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const app = startTestApp({ logger });
    app.ledger.answer = () => {
      throw new Error('peer exploded');
    };
    const demographics = { name: 'Ada Secretname', birthDate: '1980-02-03', sex: 'female' };
    const res = await app.request('/api/v1/patients', {
      method: 'POST',
      body: JSON.stringify({ patientId: 'p-9', demographics }),
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig' },
    });
    expect(res.status).toBe(500);
    await app.request('/api/v1/organizations', { headers: { 'x-api-key': 'clk_wrongkeyvalue' } });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('request failed');
    expect(log).not.toMatch(/Secretname|eyJhbGci|clk_/);
  });
});

describe('REST app readiness', () => {
  it('answers /readyz 503 LEDGER_UNAVAILABLE while the network says it cannot take transactions, and 200 again after', async () => {
    let problem: string | undefined = 'blocks cannot be written: No space left on device';
    const app = startTestApp({ networkProblem: () => problem });
    try {
      const down = await fetch(`${app.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({
        error: {
          code: 'LEDGER_UNAVAILABLE',
          message: 'the network is not ready: blocks cannot be written: No space left on device',
        },
      });
      problem = undefined;
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('REST app', () => {
  let env: ReturnType<typeof setUp>;
  beforeEach(() => {
    env = setUp();
  });
  afterEach(async () => {
    await env.close();
  });

  it('answers /healthz without auth and /api without a key with 401', async () => {
    expect((await fetch(`${env.url}/healthz`)).status).toBe(200);
    const res = await env.request('/api/v1/organizations', { headers: { 'x-api-key': 'clk_wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  it('records a reading as the caller, waits for commit and returns the transaction', async () => {
    const res = await env.request('/api/v1/vitals', { method: 'POST', body: JSON.stringify(reading) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      data: {
        replayed: false,
        reading: {
          ...reading,
          observedAt: '2026-11-22T10:00:00.000Z',
          custodianMspId: 'HospitalAMSP',
          loinc: '8867-4',
          news2Score: 0,
          direction: 'none',
          flag: 'normal',
          recordedAt: '2026-11-22T10:00:00.000Z',
          recordedBy: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x509::/CN=test' },
          txId: 'b'.repeat(64),
        },
      },
      meta: { transactionId: 'b'.repeat(64), blockNumber: '7' },
    });
    expect(env.ledger.calls[0]).toMatchObject({
      identity: 'a-nurse',
      transaction: 'Vitals:record',
      async: false,
    });
    expect(env.ledger.calls[0]!.args).toEqual([]);
    expect(JSON.parse(env.ledger.calls[0]!.transient!.reading!)).toEqual(reading);
    expect(res.headers.get('server-timing')).toContain('commit;dur=');
  });

  it('answers Prefer: respond-async on a write other than readings with 202 and its transaction status URL', async () => {
    const res = await env.request('/api/v1/devices/d-1/patient', {
      method: 'PUT',
      body: '{"patientId":"p-1"}',
      headers: { prefer: 'respond-async' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/v1/transactions/${'a'.repeat(64)}`);
    const status = await env.request(res.headers.get('location')!);
    expect(((await status.json()) as { data: unknown }).data).toMatchObject({
      valid: true,
      blockNumber: '7',
    });
  });

  it('sends demographics as transient data, never as an argument', async () => {
    const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' };
    await env.request('/api/v1/patients', {
      method: 'POST',
      body: JSON.stringify({ patientId: 'p-9', demographics }),
    });
    const call = env.ledger.calls[0]!;
    expect(call.args).toEqual(['p-9']);
    expect(JSON.parse(call.transient!.demographics!)).toEqual(demographics);
  });

  it("evaluates a demographics read of the caller's own patient on its own hospital's peer", async () => {
    env.ledger.answer = () => ({ name: 'x' });
    await env.request('/api/v1/patients/p-1/demographics');
    expect(env.ledger.calls.map((c) => [c.transaction, c.endorsingOrganizations])).toEqual([
      ['Patients:readDemographics', ['HospitalAMSP']],
    ]);
  });

  it('unwraps pages into data and page', async () => {
    env.ledger.answer = () => ({ records: [reading], bookmark: 'bm', fetchedRecordsCount: 1 });
    const res = await env.request(
      '/api/v1/patients/p-1/vitals?pageSize=1&type=heartRate&from=2026-11-22T00:00:00Z',
    );
    expect(await res.json()).toMatchObject({ data: [reading], page: { bookmark: 'bm', count: 1 } });
    expect(JSON.parse(env.ledger.calls[0]!.args[0]!)).toEqual({
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      pageSize: 1,
      type: 'heartRate',
      from: '2026-11-22T00:00:00Z',
    });
  });

  it('maps a chaincode refusal to its status and shape', async () => {
    env.ledger.answer = () => {
      throw new ApiError('CONSENT_REQUIRED', 'readVitals needs consent');
    };
    const res = await env.request('/api/v1/patients/p-1/vitals');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'CONSENT_REQUIRED', message: 'readVitals needs consent' },
    });
  });

  it('refuses bad input at the edge with the field, without calling the ledger', async () => {
    const res = await env.request('/api/v1/vitals', {
      method: 'POST',
      body: JSON.stringify({ ...reading, value: 'fast' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'INVALID_ARGUMENT', details: { location: 'body', field: 'value' } },
    });
    const badJson = await env.request('/api/v1/vitals', { method: 'POST', body: '{"readingId":' });
    expect(badJson.status).toBe(400);
    const text = await env.request('/api/v1/vitals', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const big = await env.request('/api/v1/vitals', {
      method: 'POST',
      body: JSON.stringify({ ...reading, pad: 'x'.repeat(5000) }),
    });
    expect(big.status).toBe(413);
    expect((await env.request('/api/v1/nowhere')).status).toBe(404);
    expect((await env.request('/api/v1/vitals', { method: 'PATCH', body: '{}' })).status).toBe(405);
    expect(env.ledger.calls).toEqual([]);
  });

  it('sets security headers and CORS only for configured origins', async () => {
    const allowed = await env.request('/api/v1/organizations', {
      headers: { origin: 'https://ward.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ward.example');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const other = await env.request('/api/v1/organizations', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves an OpenAPI document with every route and the metrics', async () => {
    const doc = (await (await env.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p));
    // Besides the route table: the status URLs of transactions and of submissions, the session, and the event stream.
    expect(operations.length).toBe(routeTable.length + 4);
    expect(doc.paths['/api/v1/vitals']?.post).toMatchObject({ 'x-careledger-transaction': 'Vitals:record' });
    expect(await (await env.request('/docs')).text()).toContain('/api/v1/patients/{patientId}/vitals');
    await env.request('/api/v1/organizations');
    expect(await (await env.request('/metrics')).text()).toContain(
      'careledger_http_request_duration_seconds_bucket',
    );
  });

  it('never answers random bodies, paths and headers with a 5xx, nor writes', async () => {
    const methods = ['GET', 'POST', 'PUT', 'DELETE'] as const;
    const paths = routeTable.map((r) => `/api/v1${r.path}`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.constantFrom(...paths),
        fc.string({ maxLength: 20 }),
        fc.oneof(fc.json(), fc.string({ maxLength: 300 })),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1'),
        fc.record(
          {
            prefer: fc.constantFrom('respond-async', 'wait=1', ''),
            'last-event-id': fc.string({ maxLength: 30 }),
            'x-request-id': fc.string({ maxLength: 80 }),
            accept: fc.string({ maxLength: 20 }),
          },
          { requiredKeys: [] },
        ),
        async (method, path, segment, body, type, extra) => {
          const url = path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(segment));
          env.ledger.calls.length = 0;
          env.ledger.answer = () => {
            throw new ApiError('INVALID_ARGUMENT', 'refused by the chaincode');
          };
          const res = await env.request(url, {
            method,
            body: method === 'GET' ? undefined : body,
            headers: {
              ...Object.fromEntries(
                Object.entries(extra).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '')]),
              ),
              'content-type': type,
            },
          });
          expect(res.status).toBeLessThan(500);
          const writes = env.ledger.calls.filter((c) => transactionCatalog[c.transaction].submit);
          expect(writes.length === 0 || res.status >= 400).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
