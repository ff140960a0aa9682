import { verifyReadingSignature } from '@careledger/contract';
import type { FabricTarget } from '@careledger/fabric-toolkit';
import { VirtualDevice } from '../device/virtual-device';
import { signingDevices } from '../testing/device-keys';
import { startFakeGateway } from '../testing/fake-gateway';
import { newExternalTarget } from './external-target';

const fabric: FabricTarget = {
  endpoint: 'localhost:7051',
  peerEndpoints: {},
  channel: 'careledger',
  chaincode: 'careledger',
};
const settings = { connections: 4, timeoutMs: 5000 };

describe('external target', () => {
  it('serves signed only with a URL and devices that have their keys', () => {
    const { devices } = signingDevices(2);
    expect(newExternalTarget({ url: 'http://x', apiKeys: ['k'] }).modes).toEqual(['rest']);
    expect(newExternalTarget({ url: 'http://x', devices }).modes).toEqual(['rest', 'signed']);
    expect(newExternalTarget({ url: 'http://x', devices, fabric }).modes).toEqual([
      'rest',
      'direct',
      'signed',
    ]);
    expect(newExternalTarget({ fabric, devices }).modes).toEqual(['direct']);
    const keyless = devices.map(({ deviceId, patientId, apiKey }) => ({ deviceId, patientId, apiKey }));
    expect(newExternalTarget({ url: 'http://x', devices: keyless }).modes).toEqual(['rest']);
  });

  it('takes its devices from the provisioner when it has one, and serves signed with them', async () => {
    const { devices } = signingDevices(3);
    const asked: number[] = [];
    const provisioner = {
      description: 'test',
      provision: async (count: number) => {
        asked.push(count);
        return devices.slice(0, count);
      },
    };
    const target = newExternalTarget({ url: 'http://x', fabric, provisioner, apiKeys: ['shared'] });
    expect(target.modes).toEqual(['rest', 'direct', 'signed']);
    expect(await target.provision(2)).toEqual(devices.slice(0, 2));
    expect(asked).toEqual([2]);
  });

  it('enrols the signing keys before the signed mode, once per device, then signs with each device’s key', async () => {
    const gw = await startFakeGateway((req) =>
      req.path === '/api/v1/vitals/signed'
        ? { status: 201, body: { data: { replayed: false }, meta: { transactionId: 'tx-9' } } }
        : { status: 201 },
    );
    const logs: string[] = [];
    const { devices, publicKeys } = signingDevices(3);
    const target = newExternalTarget({ url: gw.url, devices, log: (m) => logs.push(m) });
    try {
      const provisioned = await target.provision(2);
      await target.prepare?.('rest', provisioned);
      expect(gw.requests).toHaveLength(0);
      await target.prepare?.('signed', provisioned);
      await target.prepare?.('signed', provisioned);
      expect(gw.requests.map((r) => `${r.path} ${r.headers.authorization}`)).toEqual(
        expect.arrayContaining([
          '/api/v1/devices/signing-key Bearer key-0',
          '/api/v1/devices/signing-key Bearer key-1',
        ]),
      );
      expect(gw.requests).toHaveLength(2);
      expect(logs).toEqual([`enrolling the signing keys of 2 devices through ${gw.url}`]);

      const driver = target.createDriver('signed', provisioned, settings);
      try {
        expect(driver.mode).toBe('signed');
        const reading = new VirtualDevice({ ...devices[1]!, seed: 's', runId: 'r' }).next(0);
        expect(await driver.send(1, reading)).toEqual({ ok: true, transactionId: 'tx-9' });
        const sent = gw.requests[2]!;
        expect(sent.headers.authorization).toBe('Bearer key-1');
        expect(
          verifyReadingSignature(sent.body as { payload: string; signature: string }, publicKeys[1]!),
        ).toBe(true);
      } finally {
        await driver.close();
      }
    } finally {
      await target.close();
      await gw.close();
    }
  });

  it('refuses a signed driver for devices without a private key', () => {
    const target = newExternalTarget({ url: 'http://x', apiKeys: ['k'] });
    const devices = [{ deviceId: 'd', patientId: 'p', apiKey: 'k' }];
    expect(() => target.createDriver('signed', devices, settings)).toThrow(
      'device 0 (d) has no private key to sign its readings with',
    );
  });
});
