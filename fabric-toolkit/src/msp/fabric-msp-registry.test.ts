import 'reflect-metadata';
import { verify, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { msp } from '@hyperledger/fabric-protos';
import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
} from './certificate-authority';
import { MspError, newMspRegistry, newSigningIdentity } from './fabric-msp-registry';
import { isLowS, toHighS } from './low-s-signature';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate with a hand-written subject (issueCertificate writes one NodeOU only). */
async function issueWithSubject(ca: CertificateAuthority, subject: string): Promise<string> {
  const der = Buffer.from(ca.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const signingKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject,
    issuer: new x509.X509Certificate(ca.certificatePem).subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    signingKey,
    publicKey: keys.publicKey,
    signingAlgorithm: algorithm,
  });
  return cert.toString('pem');
}

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
  });

  it('refuses an identity without exactly one NodeOU, as an MSP with NodeOUs enabled does', async () => {
    const r = registry();
    const noOu = await issueCertificate(hospital, { commonName: 'plain' });
    expect(thrown(() => r.validateIdentity(serialized('HospitalAMSP', noOu.certificatePem)))).toMatchObject({
      kind: 'untrusted',
      reason: expect.stringContaining('does not have an OU that resolves to client, peer, orderer, or admin'),
    });
    const twoOus = await issueWithSubject(hospital, 'CN=both, OU=client, OU=peer, O=HospitalAMSP');
    expect(thrown(() => r.validateIdentity(serialized('HospitalAMSP', twoOus))).reason).toContain(
      'not a combination of them',
    );
    // An OU that is not a NodeOU (Fabric CA adds affiliation OUs) does not count.
    const withAffiliation = await issueWithSubject(hospital, 'CN=aff, OU=client, OU=ward1, O=HospitalAMSP');
    expect(r.validateIdentity(serialized('HospitalAMSP', withAffiliation)).ou).toBe('client');
  });

  it("words refusals so callers can build Fabric's messages", async () => {
    const r = registry();
    const { certificatePem } = await issueCertificate(lab, { commonName: 'tech', ou: 'client' });
    expect(
      thrown(() => r.validateIdentity(serialized('HospitalAMSP', certificatePem))).accessDeniedMessage(
        'healthchannel',
      ),
    ).toBe('access denied: channel [healthchannel] creator org [HospitalAMSP]');
    for (const bytes of [
      serialized('NoSuchMSP', certificatePem),
      serialized('LabMSP', 'not a certificate'),
      Buffer.from([0xff, 0xff, 0xff]),
    ]) {
      expect(thrown(() => r.validateIdentity(bytes)).accessDeniedMessage('healthchannel')).toBe(
        'access denied: channel [healthchannel] creator org unknown, creator is malformed',
      );
    }
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
    expect(thrown(() => r.validateIdentity(serialized('LabMSP', lab.certificatePem)))).toMatchObject({
      kind: 'untrusted',
      reason: 'A CA certificate cannot be used directly by this MSP',
    });
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

  it('refuses an MSP given twice or a CA certificate that is not a CA', async () => {
    const leaf = await issueCertificate(lab, { commonName: 'leaf', ou: 'peer' });
    expect(() => newMspRegistry([{ mspId: 'LabMSP', caCertificatePem: leaf.certificatePem }])).toThrow(
      'the CA certificate of LabMSP is not a CA certificate',
    );
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
    expect(r.verify(identity, message, Buffer.concat([signature, Buffer.from([0])]))).toBe(false);
  });

  it('refuses the high-S twin of a valid signature and signs low-S only', async () => {
    const r = registry();
    const pair = await issueCertificate(hospital, { commonName: 'peer0', ou: 'peer' });
    const signer = newSigningIdentity({ mspId: 'HospitalAMSP', ...pair });
    const identity = r.validateIdentity(signer.serialized);
    const message = Buffer.from('proposal');
    for (let i = 0; i < 50; i++) {
      const signature = signer.sign(message);
      expect(isLowS(signature)).toBe(true);
      expect(r.verify(identity, message, signature)).toBe(true);
      const high = toHighS(signature);
      // The twin is a valid ECDSA signature (node:crypto accepts it); Fabric does not.
      expect(
        verify('sha256', message, { key: identity.certificate.publicKey, dsaEncoding: 'der' }, high),
      ).toBe(true);
      expect(r.verify(identity, message, high)).toBe(false);
    }
  });

  it('refuses a signing key that does not belong to the certificate', async () => {
    const a = await issueCertificate(hospital, { commonName: 'a', ou: 'peer' });
    const b = await issueCertificate(hospital, { commonName: 'b', ou: 'peer' });
    expect(() =>
      newSigningIdentity({
        mspId: 'HospitalAMSP',
        certificatePem: a.certificatePem,
        privateKeyPem: b.privateKeyPem,
      }),
    ).toThrow('does not match its certificate');
  });

  it('validates a cached identity again once its certificate has expired', async () => {
    const r = registry();
    const shortLived = await issueCertificate(hospital, {
      commonName: 'short',
      ou: 'client',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 60_000),
    });
    const bytes = serialized('HospitalAMSP', shortLived.certificatePem);
    expect(r.validateIdentity(bytes).ou).toBe('client');
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 120_000);
    try {
      expect(thrown(() => r.validateIdentity(bytes))).toMatchObject({
        kind: 'untrusted',
        reason: expect.stringContaining('the certificate is valid from'),
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('accepts expired certificates when the validity check is off, as Fabric MSP Validate does', async () => {
    const r = newMspRegistry([{ mspId: 'LabMSP', caCertificatePem: lab.certificatePem }], {
      checkValidityPeriod: false,
    });
    const expired = await issueCertificate(lab, {
      commonName: 'old',
      ou: 'client',
      notBefore: new Date(Date.now() - 7_200_000),
      notAfter: new Date(Date.now() - 3_600_000),
    });
    expect(r.validateIdentity(serialized('LabMSP', expired.certificatePem)).mspId).toBe('LabMSP');
  });
});
