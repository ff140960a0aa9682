import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ProvisionedDevice } from '../target/bench-target';

/** Devices with an API key and a fresh P-256 key each (the certificate is a stand-in), for signed-mode tests. */
export function signingDevices(count: number): { devices: ProvisionedDevice[]; publicKeys: KeyObject[] } {
  const pairs = Array.from({ length: count }, () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
  return {
    devices: pairs.map((pair, i) => ({
      deviceId: `dev-${i}`,
      patientId: `pat-${i}`,
      apiKey: `key-${i}`,
      identity: {
        mspId: 'HospitalAMSP',
        certificatePem: `certificate of dev-${i}`,
        privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    })),
    publicKeys: pairs.map((pair) => pair.publicKey),
  };
}
