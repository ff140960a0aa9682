import { startFakeGateway, type FakeGatewayRequest } from '../testing/fake-gateway';
import { registerDevices } from './device-registration';

const devices = [0, 1, 2].map((index) => ({ deviceId: `d${index}`, patientId: `p${index}`, index }));

describe('registerDevices', () => {
  it('registers each patient, then binds its device, as the provisioner', async () => {
    const gw = await startFakeGateway();
    try {
      await registerDevices({ url: gw.url, apiKey: 'nurse-key', concurrency: 2 }, devices);
      const ofPatient = (patientId: string): FakeGatewayRequest[] =>
        gw.requests.filter((r) => (r.body as { patientId?: string }).patientId === patientId);
      for (const d of devices) {
        expect(ofPatient(d.patientId).map((r) => r.path)).toEqual(['/api/v1/patients', '/api/v1/devices']);
      }
      expect(gw.requests).toHaveLength(6);
      expect(gw.requests.every((r) => r.headers['x-api-key'] === 'nurse-key')).toBe(true);
      expect(gw.requests.find((r) => r.path === '/api/v1/devices')?.body).toEqual({
        deviceId: expect.stringMatching(/^d\d$/),
        type: 'bedside-monitor',
        patientId: expect.stringMatching(/^p\d$/),
      });
    } finally {
      await gw.close();
    }
  });

  it('takes a CONFLICT as done only when told an earlier run registered them', async () => {
    const conflict = {
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'patient p0 already exists' } },
    };
    const gw = await startFakeGateway(() => conflict);
    try {
      await expect(registerDevices({ url: gw.url, apiKey: 'k' }, devices.slice(0, 1))).rejects.toThrow(
        'provisioning POST /api/v1/patients answered 409 CONFLICT: patient p0 already exists',
      );
      await registerDevices({ url: gw.url, apiKey: 'k', existingIsDone: true }, devices.slice(0, 1));
    } finally {
      await gw.close();
    }
  });

  it('retries a 401 while a new key may not be loaded yet, and a 503 after its Retry-After', async () => {
    let calls = 0;
    const gw = await startFakeGateway(() => {
      calls += 1;
      if (calls <= 2) return { status: 401, body: { error: { code: 'UNAUTHENTICATED' } } };
      if (calls === 3) return { status: 503, headers: { 'retry-after': '0.05' } };
      return { status: 201 };
    });
    try {
      await registerDevices(
        { url: gw.url, apiKey: 'k', authScheme: 'bearer', unauthorizedRetryMs: 5000, retryPauseMs: 10 },
        devices.slice(0, 1),
      );
      expect(gw.requests.map((r) => r.path)).toEqual([
        ...Array<string>(4).fill('/api/v1/patients'),
        '/api/v1/devices',
      ]);
      expect(gw.requests[0]?.headers.authorization).toBe('Bearer k');
    } finally {
      await gw.close();
    }
  });

  it('gives up on a 401 once the wait is over, naming the request', async () => {
    const gw = await startFakeGateway(() => ({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } }));
    try {
      await expect(registerDevices({ url: gw.url, apiKey: 'k' }, devices.slice(0, 1))).rejects.toThrow(
        'POST /api/v1/patients answered 401 UNAUTHENTICATED',
      );
      expect(gw.requests).toHaveLength(1);
    } finally {
      await gw.close();
    }
  });
});
