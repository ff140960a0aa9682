import { Agent } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { exchange } from '../testing/http-exchange';
import { startTestApp } from '../testing/test-app';

const reading = {
  readingId: 'r-1',
  patientId: 'p-1',
  type: 'heartRate',
  value: 72,
  unit: '/min',
  observedAt: '2026-11-22T10:00:00Z',
};

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
