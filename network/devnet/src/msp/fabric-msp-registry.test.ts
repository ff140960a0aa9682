import { msp } from '@hyperledger/fabric-protos';
import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
} from './certificate-authority';
import { MspError, newMspRegistry, newSigningIdentity } from './fabric-msp-registry';

function serialized(mspId: string, certPem: string): Buffer {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(certPem));
  return Buffer.from(id.serializeBinary());
}

function thrown(fn: () => unknown): MspError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MspError);
    return err as MspError;
  }
  throw new Error('expected an MspError');
}

describe('newMspRegistry', () => {
  let hospital: CertificateAuthority;
  let lab: CertificateAuthority;
  beforeAll(async () => {
    hospital = await createCertificateAuthority({ mspId: 'HospitalAMSP', commonName: 'ca.a' });
    lab = await createCertificateAuthority({ mspId: 'LabMSP', commonName: 'ca.lab' });
  });
  const registry = () =>
    newMspRegistry([
      { mspId: 'HospitalAMSP', caCertificatePem: hospital.certificatePem },
      { mspId: 'LabMSP', caCertificatePem: lab.certificatePem },
    ]);

  it('classifies the NodeOU of each identity it accepts', async () => {
    const r = registry();
    for (const ou of ['client', 'peer', 'admin', 'orderer'] as const) {
      const { certificatePem } = await issueCertificate(hospital, { commonName: `x-${ou}`, ou });
      expect(r.validateIdentity(serialized('HospitalAMSP', certificatePem))).toMatchObject({
        mspId: 'HospitalAMSP',
        ou,
        certificatePem,
      });
    }
    const noOu = await issueCertificate(hospital, { commonName: 'plain' });
    expect(r.validateIdentity(serialized('HospitalAMSP', noOu.certificatePem)).ou).toBeUndefined();
  });

  it("refuses a certificate from another organisation's CA, an unknown MSP and a CA certificate", async () => {
    const r = registry();
    const { certificatePem } = await issueCertificate(lab, { commonName: 'tech', ou: 'client' });
    expect(thrown(() => r.validateIdentity(serialized('HospitalAMSP', certificatePem)))).toMatchObject({
      kind: 'untrusted',
      mspId: 'HospitalAMSP',
      message: 'access denied: creator org [HospitalAMSP]',
    });
    expect(thrown(() => r.validateIdentity(serialized('OtherMSP', certificatePem)))).toMatchObject({
      kind: 'unknown-org',
      mspId: 'OtherMSP',
      message: 'creator org unknown, creator is malformed',
    });
    expect(thrown(() => r.validateIdentity(serialized('LabMSP', lab.certificatePem))).kind).toBe('untrusted');
  });

  it('refuses bytes that are not a serialized identity with a certificate', () => {
    const r = registry();
    expect(thrown(() => r.validateIdentity(serialized('LabMSP', 'not a certificate'))).kind).toBe(
      'malformed',
    );
    expect(thrown(() => r.validateIdentity(Buffer.from([0xff, 0xff, 0xff]))).kind).toBe('malformed');
  });

  it('caches validated identities by their bytes, bounded', async () => {
    const r = newMspRegistry([{ mspId: 'LabMSP', caCertificatePem: lab.certificatePem }], {
      maxCachedIdentities: 2,
    });
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(async (n) =>
        serialized('LabMSP', (await issueCertificate(lab, { commonName: n, ou: 'client' })).certificatePem),
      ),
    );
    const first = r.validateIdentity(ids[0]!);
    expect(r.validateIdentity(Buffer.from(ids[0]!))).toBe(first);
    r.validateIdentity(ids[1]!);
    r.validateIdentity(ids[0]!); // most recently used again
    r.validateIdentity(ids[2]!); // evicts ids[1]
    expect(r.validateIdentity(ids[0]!)).toBe(first);
  });

  it('refuses an MSP given twice', () => {
    expect(() =>
      newMspRegistry([
        { mspId: 'LabMSP', caCertificatePem: lab.certificatePem },
        { mspId: 'LabMSP', caCertificatePem: hospital.certificatePem },
      ]),
    ).toThrow('MSP LabMSP is given twice');
  });

  it('verifies signatures of newSigningIdentity and refuses them for another message or key', async () => {
    const r = registry();
    const pair = await issueCertificate(hospital, { commonName: 'peer0', ou: 'peer' });
    const other = await issueCertificate(hospital, { commonName: 'peer1', ou: 'peer' });
    const signer = newSigningIdentity({ mspId: 'HospitalAMSP', ...pair });
    const identity = r.validateIdentity(signer.serialized);
    const otherIdentity = r.validateIdentity(serialized('HospitalAMSP', other.certificatePem));
    const message = Buffer.from('endorsement');
    const signature = signer.sign(message);
    expect(r.verify(identity, message, signature)).toBe(true);
    expect(r.verify(otherIdentity, message, signature)).toBe(false);
    expect(r.verify(identity, message, Buffer.from('garbage'))).toBe(false);
  });
});
