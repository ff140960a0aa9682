import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOrganization, enrollUser, loadOrganization } from './crypto-layout';
import { serializeIdentity } from './fabric-msp-registry';
import { loadGatewayIdentity } from './gateway-identity';
import { readIdentityFiles } from './identity-files';
import { loadMspRegistry, loadSigningIdentity } from './load-msp-registry';

describe('loading identities and the registry from the layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-msp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    await createOrganization(dir, { mspId: 'HospitalAMSP', kind: 'peer', nodes: 1 });
    await createOrganization(dir, { mspId: 'LabMSP', kind: 'peer', nodes: 1 });
    await createOrganization(dir, { mspId: 'OrdererMSP', kind: 'orderer', nodes: 1 });
    await enrollUser(dir, { mspId: 'LabMSP', name: 'tech', role: 'technician' });
  });

  it('trusts every organisation of a crypto directory, or the ones named', async () => {
    const all = await loadMspRegistry(dir);
    expect(all.mspIds()).toEqual(['HospitalAMSP', 'LabMSP', 'OrdererMSP']);
    const labOnly = await loadMspRegistry(dir, { mspIds: ['LabMSP'] });
    expect(labOnly.mspIds()).toEqual(['LabMSP']);
    const hospital = await loadOrganization(dir, 'HospitalAMSP');
    const peerBytes = serializeIdentity('HospitalAMSP', readFileSync(hospital.nodes[0]!.certPath, 'utf8'));
    expect(all.validateIdentity(peerBytes).ou).toBe('peer');
    expect(() => labOnly.validateIdentity(peerBytes)).toThrow('creator org unknown, creator is malformed');
    await expect(loadMspRegistry(dir, { mspIds: ['NoSuchMSP'] })).rejects.toThrow(
      'no organisation NoSuchMSP',
    );
  });

  it('loads a signing identity from an MSP folder, which the registry verifies', async () => {
    const registry = await loadMspRegistry(dir);
    const orderer = (await loadOrganization(dir, 'OrdererMSP', 'orderer')).nodes[0]!;
    const signer = await loadSigningIdentity({
      mspDir: dirname(dirname(orderer.certPath)),
      mspId: 'OrdererMSP',
    });
    const identity = registry.validateIdentity(signer.serialized);
    expect(identity.ou).toBe('orderer');
    const block = Buffer.from('block header');
    expect(registry.verify(identity, block, signer.sign(block))).toBe(true);
  });

  it('reads identity files from paths or an MSP folder, and refuses an ambiguous folder', async () => {
    const lab = await loadOrganization(dir, 'LabMSP');
    const tech = lab.users.find((u) => u.role === 'technician')!;
    const mspDir = dirname(dirname(tech.certPath));
    const fromFolder = await readIdentityFiles({ mspDir });
    expect(fromFolder).toMatchObject({ certPath: tech.certPath, keyPath: tech.keyPath });
    expect(await readIdentityFiles({ certPath: tech.certPath, keyPath: tech.keyPath })).toEqual(fromFolder);
    await expect(readIdentityFiles({ certPath: tech.keyPath, keyPath: tech.keyPath })).rejects.toThrow(
      'is not a PEM certificate',
    );
    copyFileSync(tech.certPath, join(mspDir, 'signcerts', 'second-cert.pem'));
    await expect(readIdentityFiles({ mspDir })).rejects.toThrow('holds 2 files; expected one certificate');
    await expect(readIdentityFiles({ mspDir: join(dir, 'nowhere') })).rejects.toThrow('holds no certificate');
  });

  it('loads a fabric-gateway identity from an MSP folder and refuses a key of another certificate', async () => {
    const hospital = await loadOrganization(dir, 'HospitalAMSP');
    const admin = hospital.users.find((u) => u.role === 'admin')!;
    const gatewayIdentity = await loadGatewayIdentity({
      mspDir: dirname(dirname(admin.certPath)),
      mspId: 'HospitalAMSP',
    });
    expect(gatewayIdentity.identity.mspId).toBe('HospitalAMSP');
    expect(Buffer.from(gatewayIdentity.identity.credentials).toString()).toBe(
      readFileSync(admin.certPath, 'utf8'),
    );
    const peer = hospital.nodes[0]!;
    await expect(
      loadGatewayIdentity({ certPath: admin.certPath, keyPath: peer.keyPath, mspId: 'HospitalAMSP' }),
    ).rejects.toThrow(`${peer.keyPath} is not the private key of ${admin.certPath}`);
  });
});
