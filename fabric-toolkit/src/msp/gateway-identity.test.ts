import { verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganization, enrollUser } from './crypto-layout';
import { loadGatewayIdentity } from './gateway-identity';
import { isLowS } from './low-s-signature';

describe('loadGatewayIdentity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-identity-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads an enrolled user as a fabric-gateway identity and low-S signer', async () => {
    await createOrganization(dir, { mspId: 'LabMSP', kind: 'peer', nodes: 1 });
    const user = await enrollUser(dir, { mspId: 'LabMSP', name: 'technician', role: 'technician' });
    const { identity, signer, hash } = await loadGatewayIdentity({
      certPath: user.certPath,
      keyPath: user.keyPath,
      mspId: 'LabMSP',
    });
    expect(identity.mspId).toBe('LabMSP');
    expect(Buffer.from(identity.credentials).toString('utf8')).toBe(readFileSync(user.certPath, 'utf8'));
    const message = Buffer.from('proposal');
    const publicKey = new X509Certificate(readFileSync(user.certPath)).publicKey;
    for (let i = 0; i < 10; i++) {
      // fabric-gateway signs what its `hash` option makes of the message: here the message itself.
      const signature = Buffer.from(await signer(hash(message)));
      expect(isLowS(signature)).toBe(true);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    }
  });

  it('fails clearly for a missing key file', async () => {
    await expect(
      loadGatewayIdentity({ certPath: join(dir, 'nope.pem'), keyPath: join(dir, 'nope'), mspId: 'LabMSP' }),
    ).rejects.toThrow('ENOENT');
  });
});
