import { Agent } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { exchange } from '../testing/http-exchange';
import { startTestApp } from '../testing/test-app';
import { sampleReading } from '../testing/sample-reading';

const reading = sampleReading;

describe('HTTP edges', () => {
  let env: ReturnType<typeof startTestApp>;
  beforeEach(() => {
    env = startTestApp();
  });
  afterEach(async () => {
    await env.close();
  });

  const post = (encoding: string, body: Buffer) =>
    env.request('/api/v1/vitals', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    });

  it.each(['gzip', 'deflate', 'br'])(
    'refuses a %s body that does not decompress with 400, calling nothing',
    async (encoding) => {
      const res = await post(encoding, Buffer.from('certainly not compressed'));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'INVALID_ARGUMENT',
          message: 'invalid request body: it is not valid data of its Content-Encoding',
          details: { reason: 'content-encoding' },
        },
      });
      expect(env.ledger.calls).toEqual([]);
    },
  );

  it('reads a body compressed as it says, and refuses an encoding it does not know with 415', async () => {
    const json = Buffer.from(JSON.stringify(reading));
    for (const [encoding, body] of [
      ['gzip', gzipSync(json)],
      ['deflate', deflateSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      expect([encoding, (await post(encoding, body)).status]).toEqual([encoding, 201]);
    }
    const unknown = await post('x-squash', json);
    expect(unknown.status).toBe(415);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a method the endpoint does not take with 405 and the Allow header, TRACE included', async () => {
    const res = await env.request('/api/v1/vitals', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({
      error: {
        code: 'METHOD_NOT_ALLOWED',
        message: 'DELETE is not allowed on /api/v1/vitals',
        details: { allowed: ['POST'] },
      },
    });
    // fetch refuses to send TRACE; node:http does not.
    const agent = new Agent();
    try {
      const trace = await exchange(`${env.url}/api/v1/organizations`, {
        agent,
        method: 'TRACE',
        headers: { 'x-api-key': env.keys['a-nurse'] ?? '' },
      });
      expect(trace.status).toBe(405);
      expect(trace.headers.allow).toBe('HEAD, GET');
      expect(JSON.parse(trace.body)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    } finally {
      agent.destroy();
    }
    expect((await env.request('/api/v1/no-such-thing', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('strict JSON bodies', () => {
  let env: ReturnType<typeof startTestApp>;
  beforeEach(() => {
    env = startTestApp();
  });
  afterEach(async () => {
    await env.close();
  });

  const post = (body: Buffer | string) =>
    env.request('/api/v1/vitals', { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('refuses a body that is not valid UTF-8 instead of repairing it, calling nothing', async () => {
    const json = Buffer.from(JSON.stringify({ ...reading, readingId: 'r-XX' }));
    // An overlong encoding and a lone continuation byte where "XX" was.
    for (const bad of [Buffer.from([0xc0, 0xaf]), Buffer.from([0x80, 0x41])]) {
      const at = json.indexOf('XX');
      const body = Buffer.concat([json.subarray(0, at), bad, json.subarray(at + 2)]);
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'INVALID_ARGUMENT',
          message: 'invalid request body: it is not valid UTF-8',
          details: { reason: 'utf-8' },
        },
      });
    }
    expect(env.ledger.calls).toEqual([]);
  });

  it('reads valid UTF-8 of every width, and refuses a JSON scalar and a body past the limit', async () => {
    const name = 'Zoë Ünal-李 𝄞';
    const res = await env.request('/api/v1/patients', {
      method: 'POST',
      body: Buffer.from(
        JSON.stringify({ patientId: 'p-8', demographics: { name, birthDate: '1980-02-03', sex: 'female' } }),
      ),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(201);
    const sent =
      env.ledger.calls.find((c) => c.transaction === 'Patients:register')?.transient?.demographics ?? '{}';
    expect((JSON.parse(sent) as { name: string }).name).toBe(name);
    const scalar = await post('"just a string"');
    expect(((await scalar.json()) as { error: { details: unknown } }).error.details).toEqual({
      reason: 'json',
    });
    const large = await post(JSON.stringify({ ...reading, note: 'x'.repeat(4096) }));
    expect(large.status).toBe(413);
  });
});
