import { signingDevices } from '../testing/device-keys';
import { startFakeGateway } from '../testing/fake-gateway';
import { SigningKeyEnrolment } from './signing-key-enrolment';

const enrolPath = '/api/v1/devices/signing-key';

describe('SigningKeyEnrolment', () => {
  it('enrols each device once with its own API key, a bounded number at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const gw = await startFakeGateway((req) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => (inFlight -= 1), 20);
      return { status: req.headers.authorization === 'Bearer key-3' ? 200 : 201, delayMs: 20 };
    });
    try {
      const { devices } = signingDevices(10);
      const enrolment = new SigningKeyEnrolment({ concurrency: 3 });
      expect(await enrolment.enroll({ url: gw.url }, devices.slice(0, 6))).toBe(6);
      // Asking again for more enrols only the new ones.
      expect(await enrolment.enroll({ url: `${gw.url}/` }, devices)).toBe(4);
      expect(await enrolment.enroll({ url: gw.url }, devices)).toBe(0);
      expect(gw.requests).toHaveLength(10);
      expect(gw.requests.every((r) => r.path === enrolPath && r.body === undefined)).toBe(true);
      expect(new Set(gw.requests.map((r) => r.headers.authorization))).toEqual(
        new Set(devices.map((d) => `Bearer ${d.apiKey}`)),
      );
      expect(maxInFlight).toBeLessThanOrEqual(3);
      expect(enrolment.has('dev-9')).toBe(true);
    } finally {
      await gw.close();
    }
  });

  it('retries a 401 (a key the gateway has not loaded yet) and sends X-API-Key when told', async () => {
    let refusals = 0;
    const gw = await startFakeGateway(() =>
      refusals++ < 3
        ? { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'unknown key' } } }
        : { status: 201 },
    );
    try {
      const { devices } = signingDevices(1);
      const enrolment = new SigningKeyEnrolment({ retryPauseMs: 10 });
      await enrolment.enroll({ url: gw.url, authScheme: 'x-api-key' }, devices);
      expect(gw.requests).toHaveLength(4);
      expect(gw.requests[3]!.headers['x-api-key']).toBe('key-0');
    } finally {
      await gw.close();
    }
  });

  it('waits Retry-After when the gateway sheds load (503 OVERLOADED), then enrols', async () => {
    let refusals = 0;
    const gw = await startFakeGateway(() =>
      refusals++ < 2
        ? {
            status: 503,
            headers: { 'retry-after': '0.05' },
            body: { error: { code: 'OVERLOADED', message: 'at capacity' } },
          }
        : { status: 201 },
    );
    try {
      const { devices } = signingDevices(1);
      expect(await new SigningKeyEnrolment({}).enroll({ url: gw.url }, devices)).toBe(1);
      expect(gw.requests).toHaveLength(3);
    } finally {
      await gw.close();
    }
  });

  it('fails naming the device, status and error code: at once on other answers, after a while on 401', async () => {
    const gw = await startFakeGateway((req) =>
      req.headers.authorization === 'Bearer key-1'
        ? { status: 403, body: { error: { code: 'ACCESS_DENIED', message: 'not a device' } } }
        : req.headers.authorization === 'Bearer key-2'
          ? { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'unknown key' } } }
          : { status: 201 },
    );
    try {
      const { devices } = signingDevices(3);
      const enrolment = new SigningKeyEnrolment({ concurrency: 1 });
      await expect(enrolment.enroll({ url: gw.url }, devices.slice(0, 2))).rejects.toThrow(
        'device dev-1 could not enrol its signing key: POST /api/v1/devices/signing-key answered 403 ACCESS_DENIED: not a device',
      );
      expect(enrolment.has('dev-0')).toBe(true);
      expect(enrolment.has('dev-1')).toBe(false);
      const impatient = new SigningKeyEnrolment({ unauthorizedRetryMs: 100, retryPauseMs: 20 });
      await expect(impatient.enroll({ url: gw.url }, [devices[2]!])).rejects.toThrow(
        /dev-2 .* answered 401 UNAUTHENTICATED/,
      );
      expect(gw.requests.filter((r) => r.headers.authorization === 'Bearer key-2').length).toBeGreaterThan(2);
      await expect(
        new SigningKeyEnrolment().enroll({ url: gw.url }, [{ deviceId: 'x', patientId: 'p' }]),
      ).rejects.toThrow('device x has no API key');
    } finally {
      await gw.close();
    }
  });

  it('fails clearly when the gateway is not there', async () => {
    const gw = await startFakeGateway();
    await gw.close();
    const { devices } = signingDevices(1);
    await expect(new SigningKeyEnrolment().enroll({ url: gw.url }, devices)).rejects.toThrow(
      /device dev-0 could not enrol its signing key: POST .* failed \(ECONNREFUSED\)/,
    );
  });
});
