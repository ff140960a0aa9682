import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msp } from '@hyperledger/fabric-protos';
import { ClientIdentity } from 'fabric-shim';
import { createOrganization, enrollUser, loadOrganization } from './crypto-layout';
import { MspError, newMspRegistry, newSigningIdentity } from './fabric-msp-registry';
import { isLowS, parseSignature, toLowS } from './low-s-signature';

function serialized(mspId: string, certPem: string): Buffer {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(certPem));
  return Buffer.from(id.serializeBinary());
}

describe('certificate tooling', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    await createOrganization(dir, { mspId: 'HospitalAMSP', kind: 'peer', nodes: 1 });
    await createOrganization(dir, { mspId: 'LabMSP', kind: 'peer', nodes: 1 });
    await enrollUser(dir, {
      mspId: 'HospitalAMSP',
      name: 'patient',
      role: 'patient',
      attrs: { patientId: 'p-42' },
    });
    await enrollUser(dir, { mspId: 'LabMSP', name: 'tech', role: 'technician' });
  });

  it("writes Fabric CA attributes that fabric-shim's ClientIdentity reads", async () => {
    const org = await loadOrganization(dir, 'HospitalAMSP');
    const user = org.users.find((u) => u.name === 'hospitala-patient')!;
    expect(user).toMatchObject({ role: 'patient', attrs: { role: 'patient', patientId: 'p-42' } });
    const stub = {
      getCreator: () => ({ mspid: 'HospitalAMSP', idBytes: readFileSync(user.certPath) }),
      getChannelID: () => 'c',
      getTxID: () => 't',
    };
    const cid = new ClientIdentity(stub as never);
    expect(cid.getMSPID()).toBe('HospitalAMSP');
    expect(cid.getAttributeValue('role')).toBe('patient');
    expect(cid.getAttributeValue('patientId')).toBe('p-42');
    expect(cid.getAttributeValue('hf.EnrollmentID')).toBe('patient@hospitala.careledger.local');
    expect(cid.getID()).toContain('CN=patient@hospitala.careledger.local');
  });

  it('writes the MSP layout with NodeOUs and private keys only the owner can read', async () => {
    const org = await loadOrganization(dir, 'HospitalAMSP');
    expect(readFileSync(join(org.mspDir, 'config.yaml'), 'utf8')).toMatch(
      /Enable: true[\s\S]*OrganizationalUnitIdentifier: orderer/,
    );
    expect(org.nodes.map((n) => n.hostname)).toEqual(['peer0.hospitala.careledger.local']);
    expect(readFileSync(org.nodes[0]!.tlsCertPath, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(statSync(org.users[0]!.keyPath).mode & 0o777).toBe(0o600);
  });

  it('validates identities against their own organisation CA only', async () => {
    const a = await loadOrganization(dir, 'HospitalAMSP');
    const lab = await loadOrganization(dir, 'LabMSP');
    const registry = newMspRegistry([
      { mspId: 'HospitalAMSP', caCertificatePem: readFileSync(a.caCertPath, 'utf8') },
      { mspId: 'LabMSP', caCertificatePem: readFileSync(lab.caCertPath, 'utf8') },
    ]);
    const patientCert = readFileSync(a.users.find((u) => u.role === 'patient')!.certPath, 'utf8');
    expect(registry.validateIdentity(serialized('HospitalAMSP', patientCert))).toMatchObject({
      mspId: 'HospitalAMSP',
      ou: 'client',
    });
    expect(() => registry.validateIdentity(serialized('LabMSP', patientCert))).toThrow(
      'access denied: creator org [LabMSP]',
    );
    try {
      registry.validateIdentity(serialized('NoSuchMSP', patientCert));
      throw new Error('accepted an unknown MSP');
    } catch (err) {
      expect(err).toBeInstanceOf(MspError);
      expect((err as MspError).kind).toBe('unknown-org');
      expect((err as Error).message).toBe('creator org unknown, creator is malformed');
    }
    const peer = registry.validateIdentity(
      serialized('HospitalAMSP', readFileSync(a.nodes[0]!.certPath, 'utf8')),
    );
    expect(peer.ou).toBe('peer');
  });

  it('signs low-S and refuses a high-S copy of a valid signature', async () => {
    const a = await loadOrganization(dir, 'HospitalAMSP');
    const patient = a.users.find((u) => u.role === 'patient')!;
    const certificatePem = readFileSync(patient.certPath, 'utf8');
    const privateKeyPem = readFileSync(patient.keyPath, 'utf8');
    const registry = newMspRegistry([
      { mspId: 'HospitalAMSP', caCertificatePem: readFileSync(a.caCertPath, 'utf8') },
    ]);
    const signer = newSigningIdentity({ mspId: 'HospitalAMSP', certificatePem, privateKeyPem });
    const identity = registry.validateIdentity(signer.serialized);
    const message = Buffer.from('proposal bytes');
    for (let i = 0; i < 20; i++) {
      const signature = signer.sign(message);
      expect(isLowS(signature)).toBe(true);
      expect(registry.verify(identity, message, signature)).toBe(true);
    }
    // Make a high-S signature: n - s of a low one is equally valid ECDSA, but Fabric refuses it.
    const low = toLowS(sign('sha256', message, { key: createPrivateKey(privateKeyPem), dsaEncoding: 'der' }));
    const { r, s } = parseSignature(low);
    const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const int = (v: bigint) => {
      let hex = v.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      let b = Buffer.from(hex, 'hex');
      if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
      return Buffer.concat([Buffer.from([2, b.length]), b]);
    };
    const body = Buffer.concat([int(r), int(n - s)]);
    const high = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    expect(isLowS(high)).toBe(false);
    expect(registry.verify(identity, message, high)).toBe(false);
    expect(registry.verify(identity, Buffer.from('other'), low)).toBe(false);
  });
});
