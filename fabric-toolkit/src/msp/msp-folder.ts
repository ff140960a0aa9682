import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificateAuthority, KeyPair } from './certificate-authority';

/** Organisations with peers (and users) or with orderers, as cryptogen separates them. */
export type OrgKind = 'peer' | 'orderer';

/** `HospitalAMSP` → `hospitala`, `OrdererMSP` → `orderer`. */
export function shortName(mspId: string): string {
  return mspId.replace(/MSP$/, '').toLowerCase();
}

/** `HospitalAMSP` → `hospitala.careledger.local`. */
export function domainOf(mspId: string): string {
  return `${shortName(mspId)}.careledger.local`;
}

/** `<cryptoDir>/peerOrganizations/<domain>` or `<cryptoDir>/ordererOrganizations/<domain>`. */
export function orgDir(cryptoDir: string, kind: OrgKind, mspId: string): string {
  return join(cryptoDir, kind === 'peer' ? 'peerOrganizations' : 'ordererOrganizations', domainOf(mspId));
}

/** A private key file: mode 0600 also when the file existed or the umask is unusual. */
export async function writeSecret(path: string, pem: string): Promise<void> {
  await writeFile(path, pem, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** Fabric's `config.yaml` with NodeOUs enabled, each OU certified by the MSP's CA certificate. */
export function nodeOuConfig(caFile: string): string {
  const ou = (name: string, key: string) =>
    `  ${key}:\n    Certificate: cacerts/${caFile}\n    OrganizationalUnitIdentifier: ${name}\n`;
  return `NodeOUs:\n  Enable: true\n${ou('client', 'ClientOUIdentifier')}${ou('peer', 'PeerOUIdentifier')}${ou('admin', 'AdminOUIdentifier')}${ou('orderer', 'OrdererOUIdentifier')}`;
}

/**
 * One MSP folder: cacerts/ca.<domain>-cert.pem, tlscacerts/tlsca.<domain>-cert.pem,
 * config.yaml, and for a signing identity signcerts/<name>-cert.pem and keystore/priv_sk.
 */
export async function writeMspFolder(
  dir: string,
  domain: string,
  caPem: string,
  tlsCaPem: string,
  signer?: { readonly name: string; readonly pair: KeyPair },
): Promise<void> {
  const caFile = `ca.${domain}-cert.pem`;
  for (const sub of ['cacerts', 'tlscacerts', ...(signer ? ['signcerts', 'keystore'] : [])]) {
    await mkdir(join(dir, sub), { recursive: true });
  }
  await writeFile(join(dir, 'cacerts', caFile), caPem);
  await writeFile(join(dir, 'tlscacerts', `tlsca.${domain}-cert.pem`), tlsCaPem);
  await writeFile(join(dir, 'config.yaml'), nodeOuConfig(caFile));
  if (signer) {
    await writeFile(join(dir, 'signcerts', `${signer.name}-cert.pem`), signer.pair.certificatePem);
    await writeSecret(join(dir, 'keystore', 'priv_sk'), signer.pair.privateKeyPem);
  }
}

/** A tls/ folder: ca.crt and `<prefix>.crt`, `<prefix>.key` (server for nodes, client for users). */
export async function writeTlsFolder(
  dir: string,
  tlsCaPem: string,
  prefix: 'server' | 'client',
  pair: KeyPair,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'ca.crt'), tlsCaPem);
  await writeFile(join(dir, `${prefix}.crt`), pair.certificatePem);
  await writeSecret(join(dir, `${prefix}.key`), pair.privateKeyPem);
}

/** The CA written by `createOrganization` in `<org>/ca` or `<org>/tlsca`. */
export async function readCa(dir: string, name: string): Promise<CertificateAuthority> {
  const certificatePem = await readFile(join(dir, `${name}-cert.pem`), 'utf8');
  const privateKeyPem = await readFile(join(dir, 'priv_sk'), 'utf8');
  const subject = new X509Certificate(certificatePem).subject.split('\n').join(', ');
  return { certificatePem, privateKeyPem, subject };
}
