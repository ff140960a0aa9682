import 'reflect-metadata';
import { createPrivateKey, KeyObject, sign, verify, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { msp } from '@hyperledger/fabric-protos';
import type { MspRegistry, NodeOU, SigningIdentity, VerifiedIdentity } from '@careledger/fabric-toolkit';
import { isLowS, toLowS } from '@careledger/fabric-toolkit';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

interface TestOrg {
  readonly mspId: string;
  readonly caCert: X509Certificate;
  readonly caKeys: webcrypto.CryptoKeyPair;
  readonly caName: string;
}

/** A test identity: signs like a Fabric SDK/peer (low-S DER over SHA-256). */
export interface TestIdentity extends SigningIdentity {
  readonly ou: NodeOU;
}

/**
 * A small MSP for ledger tests: one self-signed P-256 CA per organisation, identities
 * issued with a NodeOU, checked as a Fabric MSP checks them (issuer, signature, low-S).
 */
export class TestMsp implements MspRegistry {
  readonly #orgs: ReadonlyMap<string, TestOrg>;

  private constructor(orgs: ReadonlyMap<string, TestOrg>) {
    this.#orgs = orgs;
  }

  static async create(mspIds: readonly string[]): Promise<TestMsp> {
    const orgs = new Map<string, TestOrg>();
    for (const mspId of mspIds) {
      const caKeys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
      const caName = `CN=ca.${mspId.toLowerCase()}, O=${mspId}`;
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: caName,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 86_400_000),
        keys: caKeys,
        signingAlgorithm: algorithm,
        extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
      });
      orgs.set(mspId, { mspId, caKeys, caName, caCert: new X509Certificate(cert.toString('pem')) });
    }
    return new TestMsp(orgs);
  }

  /** Issues an identity of `mspId` with the given NodeOU. */
  async issue(
    mspId: string,
    ou: NodeOU,
    name = `${ou}-${Math.random().toString(36).slice(2, 8)}`,
  ): Promise<TestIdentity> {
    const org = this.#orgs.get(mspId);
    if (org === undefined) throw new Error(`unknown test MSP ${mspId}`);
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
        .toString('hex')
        .replace(/^[89a-f]/, '1'),
      subject: `CN=${name}, OU=${ou}, O=${mspId}`,
      issuer: org.caName,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingKey: org.caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: algorithm,
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const privateKey: KeyObject = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    const identity = new msp.SerializedIdentity();
    identity.setMspid(mspId);
    identity.setIdBytes(Buffer.from(cert.toString('pem')));
    return {
      mspId,
      ou,
      serialized: Buffer.from(identity.serializeBinary()),
      sign: (message) => toLowS(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' })),
    };
  }

  mspIds(): readonly string[] {
    return [...this.#orgs.keys()];
  }

  validateIdentity(serializedIdentity: Buffer): VerifiedIdentity {
    const decoded = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
    const org = this.#orgs.get(decoded.getMspid());
    if (org === undefined) throw new Error('creator org unknown, creator is malformed');
    const pem = Buffer.from(decoded.getIdBytes_asU8()).toString('utf8');
    const certificate = new X509Certificate(pem);
    if (!certificate.checkIssued(org.caCert) || !certificate.verify(org.caCert.publicKey)) {
      throw new Error(`access denied: creator org [${org.mspId}]`);
    }
    const ou = /^OU=(\w+)$/m.exec(certificate.subject)?.[1] as NodeOU | undefined;
    return { mspId: org.mspId, certificate, certificatePem: pem, ou, serialized: serializedIdentity };
  }

  verify(identity: VerifiedIdentity, message: Buffer, signature: Buffer): boolean {
    try {
      if (!isLowS(signature)) return false;
      return verify(
        'sha256',
        message,
        { key: identity.certificate.publicKey, dsaEncoding: 'der' },
        signature,
      );
    } catch {
      return false;
    }
  }
}
