import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { lowSWebCrypto } from './low-s-webcrypto';
import type { NodeOU } from './msp-registry';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const cryptoForX509 = lowSWebCrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0];
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const yearMs = 365 * 86_400_000;

/** Fabric CA writes user attributes into this extension as raw JSON `{"attrs":{...}}`. */
export const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

/** A PEM certificate and its PKCS#8 PEM private key. */
export interface KeyPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface CertificateAuthority extends KeyPair {
  readonly subject: string;
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
}

async function toPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign']);
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

/**
 * A self-signed ECDSA P-256 certificate authority (an organisation's CA or TLS CA), valid ten
 * years. Its subject is `CN=<commonName>, O=<organization ?? mspId>`.
 * @throws Error when neither `organization` nor `mspId` is given.
 */
export async function createCertificateAuthority(options: {
  readonly commonName: string;
  readonly organization?: string;
  readonly mspId?: string;
}): Promise<CertificateAuthority> {
  const organization = options.organization ?? options.mspId;
  if (!organization) throw new Error('a certificate authority needs an organization or mspId');
  const keys = await newKeys();
  const subject = `CN=${options.commonName}, O=${organization}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 10 * yearMs),
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    },
    cryptoForX509,
  );
  return { subject, certificatePem: cert.toString('pem'), privateKeyPem: await toPem(keys.privateKey) };
}

export interface IssueOptions {
  readonly commonName: string;
  /** NodeOU: Fabric classifies identities by this OU. */
  readonly ou?: NodeOU;
  /** Subject O; defaults to the CA's O (the MSP ID for CAs made by this module). */
  readonly organization?: string;
  /** Fabric CA attributes (role, patientId, deviceId…); `hf.*` defaults are added. */
  readonly attrs?: Readonly<Record<string, string>>;
  /** `hf.EnrollmentID`; defaults to `commonName`. */
  readonly enrollmentId?: string;
  /** Issue a TLS server/client certificate for these names (localhost and 127.0.0.1 are added). */
  readonly tls?: { readonly hosts: readonly string[] };
  /** @deprecated use `tls.hosts`. */
  readonly tlsHosts?: readonly string[];
  /** Validity window; defaults to one minute ago until one year from now. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

function sanExtension(hosts: readonly string[]): x509.SubjectAlternativeNameExtension {
  const unique = [...new Set([...hosts, 'localhost', '127.0.0.1'])];
  return new x509.SubjectAlternativeNameExtension(
    unique.map((h) =>
      /^[\d.]+$/.test(h) || h.includes(':') ? { type: 'ip', value: h } : { type: 'dns', value: h },
    ),
  );
}

/**
 * The JSON Fabric CA writes (Go's encoding/json of `{Attrs map[string]string}`): keys in byte
 * order, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX.
 */
export function fabricAttributesJson(attrs: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(attrs)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((k) => [k, attrs[k]] as const);
  return JSON.stringify({ attrs: Object.fromEntries(sorted) }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The extension Fabric CA puts in enrolment certificates: extnValue is the raw UTF-8 JSON
 * `{"attrs":{...}}` (no inner ASN.1 wrapping), which fabric-shim's ClientIdentity parses.
 * `hf.Affiliation`, `hf.EnrollmentID` and `hf.Type` are added as Fabric CA adds them.
 */
function attributeExtension(options: IssueOptions): x509.Extension {
  for (const [key, value] of Object.entries(options.attrs ?? {})) {
    if (key === '' || typeof value !== 'string') {
      throw new Error(`attribute '${key}' must have a name and a string value`);
    }
  }
  const attrs = {
    'hf.Affiliation': '',
    'hf.EnrollmentID': options.enrollmentId ?? options.commonName,
    'hf.Type': options.ou ?? 'client',
    ...options.attrs,
  };
  return new x509.Extension(FABRIC_ATTRS_OID, false, Buffer.from(fabricAttributesJson(attrs), 'utf8'));
}

/**
 * Issue a certificate signed by `ca`. Identity certificates have the shape Fabric CA gives
 * enrolled identities (NodeOU in the subject OU, the attribute extension); TLS certificates
 * (`tls`) carry subject alternative names and server/client auth usage instead.
 */
export async function issueCertificate(ca: CertificateAuthority, options: IssueOptions): Promise<KeyPair> {
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  const tlsHosts = options.tls?.hosts ?? options.tlsHosts;
  if (tlsHosts) {
    extensions.push(
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      sanExtension(tlsHosts),
    );
  } else {
    extensions.push(
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      attributeExtension(options),
    );
  }
  const organization =
    options.organization ?? caCert.subjectName.getField('O')[0] ?? caCert.subjectName.toString();
  const subject = [
    `CN=${options.commonName}`,
    ...(options.ou ? [`OU=${options.ou}`] : []),
    `O=${organization}`,
  ].join(', ');
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject,
      issuer: caCert.subject,
      notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
      notAfter: options.notAfter ?? new Date(Date.now() + yearMs),
      signingKey: await importKey(ca.privateKeyPem),
      publicKey: keys.publicKey,
      signingAlgorithm: algorithm,
      extensions,
    },
    cryptoForX509,
  );
  return { certificatePem: cert.toString('pem'), privateKeyPem: await toPem(keys.privateKey) };
}

/** The Fabric CA attributes of a certificate (empty when it has none). */
export function readAttributes(certificatePem: string): Record<string, string> {
  const ext = new x509.X509Certificate(certificatePem).getExtension(FABRIC_ATTRS_OID);
  if (!ext) return {};
  const parsed = JSON.parse(Buffer.from(ext.value).toString('utf8')) as { attrs?: Record<string, string> };
  return parsed.attrs ?? {};
}
