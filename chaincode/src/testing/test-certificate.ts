import 'reflect-metadata';
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's webcrypto is a full Crypto; the cast bridges Node's and the DOM's typings.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * A self-signed test certificate, and its private key, carrying Fabric CA attributes (extension 1.2.3.4.5.6.7.8.1 whose
 * value is the raw JSON `{"attrs":{...}}`), so fabric-shim's own ClientIdentity can read it.
 */
export async function certificateWithAttributes(
  commonName: string,
  attrs: Record<string, string>,
): Promise<{ readonly pem: string; readonly privateKey: KeyObject }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${commonName}, OU=client`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.Extension('1.2.3.4.5.6.7.8.1', false, Buffer.from(JSON.stringify({ attrs })))],
  });
  return {
    pem: cert.toString('pem'),
    privateKey: KeyObject.from(keys.privateKey),
  };
}
