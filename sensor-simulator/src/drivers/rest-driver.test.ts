import { generateKeyPairSync } from 'node:crypto';
import { verifyReadingSignature } from '@careledger/contract';
import { VirtualDevice } from '../device/virtual-device';
import { startFakeGateway } from '../testing/fake-gateway';
import { newRestDriver } from './rest-driver';
import { parseServerTiming } from './server-timing';

const reading = new VirtualDevice({ deviceId: 'd1', patientId: 'p1', seed: 1, runId: 'r' }).next(0);

describe('RestDriver', () => {
  it('posts the reading with the user’s API key and reads Server-Timing', async () => {
    const gw = await startFakeGateway(() => ({
      status: 201,
      headers: { 'server-timing': 'endorse;dur=4.5, commit;dur=20' },
    }));
    const driver = newRestDriver({ url: gw.url, apiKeys: ['k0', 'k1'] });
    try {
      expect(await driver.send(1, reading)).toEqual({ ok: true, breakdown: { endorse: 4.5, commit: 20 } });
      expect(gw.requests[0]!.path).toBe('/api/v1/vitals');
      expect(gw.requests[0]!.headers.authorization).toBe('Bearer k1');
      expect(gw.requests[0]!.headers['idempotency-key']).toBe(reading.readingId);
      expect(gw.requests[0]!.body).toEqual(reading);
    } finally {
      await driver.close();
      await gw.close();
    }
  });

  it('reports the transaction the gateway names in meta.transactionId', async () => {
    let n = 0;
    const gw = await startFakeGateway(() =>
      ++n === 1
        ? { status: 201, body: { data: {}, meta: { transactionId: 'tx-1', blockNumber: '7' } } }
        : { status: 200, body: { data: {} } },
    );
    const driver = newRestDriver({ url: gw.url, apiKeys: ['k'] });
    try {
      expect(driver.mode).toBe('rest');
      expect(await driver.send(0, reading)).toEqual({ ok: true, transactionId: 'tx-1' });
      // A replay (200, no meta) is a success without a transaction of its own.
      expect(await driver.send(0, reading)).toEqual({ ok: true });
    } finally {
      await driver.close();
      await gw.close();
    }
  });

  it('signs each reading with its device’s key and posts it to /vitals/signed (mode signed)', async () => {
    const pairs = [0, 1].map(() => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
    const gw = await startFakeGateway(() => ({
      status: 201,
      body: { data: { replayed: false }, meta: { transactionId: 'batch-1', blockNumber: '3' } },
    }));
    const driver = newRestDriver({
      url: gw.url,
      apiKeys: ['k0', 'k1'],
      authScheme: 'x-api-key',
      signingKeys: pairs.map((p) => p.privateKey),
    });
    try {
      expect(driver.mode).toBe('signed');
      expect(await driver.send(1, reading)).toEqual({ ok: true, transactionId: 'batch-1' });
      const request = gw.requests[0]!;
      expect(request.path).toBe('/api/v1/vitals/signed');
      expect(request.headers['x-api-key']).toBe('k1');
      const body = request.body as { payload: string; signature: string };
      expect(Object.keys(body).sort()).toEqual(['payload', 'signature']);
      expect(JSON.parse(body.payload)).toEqual(reading);
      expect(verifyReadingSignature(body, pairs[1]!.publicKey)).toBe(true);
      expect(verifyReadingSignature(body, pairs[0]!.publicKey)).toBe(false);
    } finally {
      await driver.close();
      await gw.close();
    }
  });

  it('needs one signing key per API key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => newRestDriver({ url: 'http://x', apiKeys: ['a', 'b'], signingKeys: [privateKey] })).toThrow(
      /one signing key per API key/,
    );
  });

  it('can send X-API-Key and maps error bodies and statuses to codes', async () => {
    let n = 0;
    const gw = await startFakeGateway(() =>
      ++n === 1
        ? { status: 403, body: { error: { code: 'ACCESS_DENIED', message: 'no' } } }
        : { status: 502, body: 'x' },
    );
    const driver = newRestDriver({ url: `${gw.url}/`, apiKeys: ['k'], authScheme: 'x-api-key' });
    try {
      expect(await driver.send(0, reading)).toMatchObject({ ok: false, code: 'ACCESS_DENIED' });
      expect(await driver.send(0, reading)).toMatchObject({ ok: false, code: 'HTTP_502' });
      expect(gw.requests[0]!.headers['x-api-key']).toBe('k');
      expect(await driver.send(5, reading)).toMatchObject({ ok: false, code: 'NO_IDENTITY' });
    } finally {
      await driver.close();
      await gw.close();
    }
  });

  it('reports timeouts and refused connections as codes, without throwing', async () => {
    const gw = await startFakeGateway(() => ({ status: 201, delayMs: 500 }));
    const slow = newRestDriver({ url: gw.url, apiKeys: ['k'], timeoutMs: 100 });
    const url = gw.url;
    try {
      expect(await slow.send(0, reading)).toMatchObject({ ok: false, code: 'TIMEOUT' });
    } finally {
      await slow.close();
      await gw.close();
    }
    const refused = newRestDriver({ url, apiKeys: ['k'] });
    try {
      expect(await refused.send(0, reading)).toMatchObject({ ok: false, code: 'CONNECTION_REFUSED' });
    } finally {
      await refused.close();
    }
  });

  it('refuses to be built without keys', () => {
    expect(() => newRestDriver({ url: 'http://x', apiKeys: [] })).toThrow(RangeError);
  });
});

describe('parseServerTiming', () => {
  it('reads dur per metric and skips the rest', () => {
    expect(parseServerTiming('a;dur=1.5;desc="x", b, c;dur=abc, d;desc=y;dur="2"')).toEqual({ a: 1.5, d: 2 });
    expect(parseServerTiming(['a;dur=1', 'b;dur=2'])).toEqual({ a: 1, b: 2 });
    expect(parseServerTiming(undefined)).toEqual({});
  });
});
