import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { msp } from '@hyperledger/fabric-protos';
import { ClientIdentity } from 'fabric-shim';
import {
  createCertificateAuthority,
  FABRIC_ATTRS_OID,
  issueCertificate,
  readAttributes,
  type CertificateAuthority,
} from './certificate-authority';
import { MspError, newMspRegistry } from './fabric-msp-registry';
import { isLowS } from './low-s-signature';

function serialized(mspId: string, certPem: string): Buffer {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(certPem));
  return Buffer.from(id.serializeBinary());
}

/** The DER bytes of the extension `oid` in `der` (a whole certificate): tag, length, OID, …, extnValue. */
function extnValue(certPem: string, oid: string): Buffer {
  // 1.2.3.4.5.6.7.8.1 encodes as 2a 03 04 05 06 07 08 01; extnValue is the OCTET STRING after it.
  const der = new X509Certificate(certPem).raw;
  const oidBytes = Buffer.from('06082a03040506070801', 'hex');
  expect(oid).toBe('1.2.3.4.5.6.7.8.1');
  const at = der.indexOf(oidBytes);
  expect(at).toBeGreaterThan(0);
  let i = at + oidBytes.length;
  expect(der[i]).toBe(0x04); // no BOOLEAN: non-critical (DEFAULT FALSE is omitted)
  i += 1;
  let length = der[i]!;
  i += 1;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = der.subarray(i, i + n).readUIntBE(0, n);
    i += n;
  }
  return der.subarray(i, i + length);
}

describe('certificate authority', () => {
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ mspId: 'HospitalAMSP', commonName: 'ca.hospitala.test' });
  });

  it('writes the Fabric CA attribute extension as raw JSON, non-critical', async () => {
    const { certificatePem } = await issueCertificate(ca, {
      commonName: 'nurse1',
      ou: 'client',
      enrollmentId: 'nurse-1',
      attrs: { role: 'nurse' },
    });
    const value = extnValue(certificatePem, FABRIC_ATTRS_OID);
    expect(JSON.parse(value.toString('utf8'))).toEqual({
      attrs: { 'hf.Affiliation': '', 'hf.EnrollmentID': 'nurse-1', 'hf.Type': 'client', role: 'nurse' },
    });
    expect(value[0]).toBe('{'.charCodeAt(0));
    expect(readAttributes(certificatePem)).toMatchObject({ role: 'nurse', 'hf.EnrollmentID': 'nurse-1' });
  });

  it('writes the JSON byte for byte as Fabric CA does: sorted keys, Go escaping', async () => {
    const { certificatePem } = await issueCertificate(ca, {
      commonName: 'patient7@hospitala.careledger.local',
      ou: 'client',
      attrs: { role: 'patient', patientId: 'p<7>&', deviceId: '' },
    });
    expect(extnValue(certificatePem, FABRIC_ATTRS_OID).toString('utf8')).toBe(
      '{"attrs":{"deviceId":"","hf.Affiliation":"","hf.EnrollmentID":"patient7@hospitala.careledger.local",' +
        '"hf.Type":"client","patientId":"p\\u003c7\\u003e\\u0026","role":"patient"}}',
    );
    expect(readAttributes(certificatePem).patientId).toBe('p<7>&');
  });

  it('refuses an attribute without a name or a string value', async () => {
    await expect(issueCertificate(ca, { commonName: 'x', ou: 'client', attrs: { '': 'v' } })).rejects.toThrow(
      "attribute '' must have a name",
    );
    await expect(
      issueCertificate(ca, { commonName: 'x', ou: 'client', attrs: { n: 7 as unknown as string } }),
    ).rejects.toThrow("attribute 'n' must have a name and a string value");
  });

  it("issues certificates whose attributes fabric-shim's ClientIdentity reads", async () => {
    const { certificatePem } = await issueCertificate(ca, {
      commonName: 'doctor1',
      ou: 'client',
      attrs: { role: 'doctor', patientId: '' },
    });
    const stub = {
      getCreator: () => ({ mspid: 'HospitalAMSP', idBytes: Buffer.from(certificatePem) }),
      getChannelID: () => 'healthchannel',
      getTxID: () => 'tx1',
    };
    const cid = new ClientIdentity(stub as never);
    expect(cid.getMSPID()).toBe('HospitalAMSP');
    expect(cid.getAttributeValue('role')).toBe('doctor');
    expect(cid.getAttributeValue('hf.Type')).toBe('client');
    expect(cid.getAttributeValue('missing')).toBeNull();
    expect(cid.assertAttributeValue('role', 'doctor')).toBe(true);
    expect(cid.getID()).toBe(
      'x509::/CN=doctor1/OU=client/O=HospitalAMSP::/CN=ca.hospitala.test/O=HospitalAMSP',
    );
  });

  it('issues TLS server certificates naming localhost, 127.0.0.1 and the given hosts', async () => {
    const { certificatePem } = await issueCertificate(ca, {
      commonName: 'peer0.hospitala.test',
      tls: { hosts: ['peer0.hospitala.test', '10.0.0.7'] },
    });
    const cert = new X509Certificate(certificatePem);
    expect(cert.subjectAltName?.split(', ').sort()).toEqual(
      ['DNS:localhost', 'DNS:peer0.hospitala.test', 'IP Address:10.0.0.7', 'IP Address:127.0.0.1'].sort(),
    );
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(readAttributes(certificatePem)).toEqual({});
    expect(cert.verify(new X509Certificate(ca.certificatePem).publicKey)).toBe(true);
  });

  it('makes certificates the MSP refuses once expired or not yet valid', async () => {
    const registry = newMspRegistry([{ mspId: 'HospitalAMSP', caCertificatePem: ca.certificatePem }]);
    const hour = 3_600_000;
    const expired = await issueCertificate(ca, {
      commonName: 'old',
      ou: 'client',
      notBefore: new Date(Date.now() - 2 * hour),
      notAfter: new Date(Date.now() - hour),
    });
    const future = await issueCertificate(ca, {
      commonName: 'future',
      ou: 'client',
      notBefore: new Date(Date.now() + hour),
      notAfter: new Date(Date.now() + 2 * hour),
    });
    for (const { certificatePem } of [expired, future]) {
      const err = catchError(() => registry.validateIdentity(serialized('HospitalAMSP', certificatePem)));
      expect(err).toBeInstanceOf(MspError);
      expect(err).toMatchObject({ kind: 'untrusted', mspId: 'HospitalAMSP' });
    }
  });

  it('signs certificates low-S, as Fabric CA does (Fabric rewrites high-S certificate signatures)', async () => {
    const signatures = [new x509.X509Certificate(ca.certificatePem).signature];
    for (let i = 0; i < 24; i++) {
      const { certificatePem } = await issueCertificate(ca, { commonName: `u${i}`, ou: 'client' });
      signatures.push(new x509.X509Certificate(certificatePem).signature);
      expect(
        new X509Certificate(certificatePem).verify(new X509Certificate(ca.certificatePem).publicKey),
      ).toBe(true);
    }
    // Without normalisation about half would be high-S: 25 low ones by chance is 2^-25.
    expect(signatures.map((sig) => isLowS(Buffer.from(sig)))).toEqual(signatures.map(() => true));
  });

  it('refuses a CA without an organisation', async () => {
    await expect(createCertificateAuthority({ commonName: 'x' })).rejects.toThrow(
      'needs an organization or mspId',
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
