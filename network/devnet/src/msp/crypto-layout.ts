import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  issueCertificate,
  readAttributes,
  type CertificateAuthority,
  type KeyPair,
} from './certificate-authority';
import type { NodeOU } from './msp-registry';

/**
 * Fabric's MSP folder layout, as cryptogen writes it, so real peers and orderers can use the
 * material as well as the embedded network:
 *
 *   <dir>/peerOrganizations/<domain>/{ca,tlsca,msp}/…, peers/peer0.<domain>/{msp,tls}/…,
 *         users/<name>@<domain>/msp/…     (ordererOrganizations/… with orderers/ likewise)
 *
 * Each msp/ folder has cacerts, tlscacerts, signcerts, keystore/priv_sk (mode 0600) and a
 * config.yaml that enables NodeOUs (client, peer, admin, orderer).
 */
export type OrgKind = 'peer' | 'orderer';

export interface LayoutIdentity {
  /** `<org short name>-<user>`, e.g. `hospitala-doctor`: unique across the network. */
  readonly name: string;
  readonly mspId: string;
  readonly role: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly attrs: Readonly<Record<string, string>>;
}

export interface LayoutNode {
  readonly hostname: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly tlsCertPath: string;
  readonly tlsKeyPath: string;
  readonly tlsCaPath: string;
}

export interface LayoutOrganization {
  readonly mspId: string;
  readonly kind: OrgKind;
  readonly domain: string;
  readonly dir: string;
  readonly mspDir: string;
  readonly caCertPath: string;
  readonly tlsCaCertPath: string;
  readonly nodes: readonly LayoutNode[];
  readonly users: readonly LayoutIdentity[];
}

/** `HospitalAMSP` → `hospitala`. */
export function shortName(mspId: string): string {
  return mspId.replace(/MSP$/, '').toLowerCase();
}

export function domainOf(mspId: string): string {
  return `${shortName(mspId)}.careledger.local`;
}

function orgDir(cryptoDir: string, kind: OrgKind, mspId: string): string {
  return join(cryptoDir, kind === 'peer' ? 'peerOrganizations' : 'ordererOrganizations', domainOf(mspId));
}

async function writeSecret(path: string, pem: string): Promise<void> {
  await writeFile(path, pem, { mode: 0o600 });
  await chmod(path, 0o600);
}

function nodeOuConfig(caFile: string): string {
  const ou = (name: string, key: string) =>
    `  ${key}:\n    Certificate: cacerts/${caFile}\n    OrganizationalUnitIdentifier: ${name}\n`;
  return `NodeOUs:\n  Enable: true\n${ou('client', 'ClientOUIdentifier')}${ou('peer', 'PeerOUIdentifier')}${ou('admin', 'AdminOUIdentifier')}${ou('orderer', 'OrdererOUIdentifier')}`;
}

async function writeMspFolder(
  dir: string,
  domain: string,
  caPem: string,
  tlsCaPem: string,
  signer?: { name: string; pair: KeyPair },
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

async function readCa(dir: string, name: string): Promise<CertificateAuthority> {
  const certificatePem = await readFile(join(dir, `${name}-cert.pem`), 'utf8');
  const privateKeyPem = await readFile(join(dir, 'priv_sk'), 'utf8');
  return { certificatePem, privateKeyPem, subject: '' };
}

/**
 * Create an organisation: its CA and TLS CA, the org MSP folder, and `nodes` peers or
 * orderers (signing identity + TLS server certificate for the node's name and localhost).
 * @throws Error if the organisation already exists.
 */
export async function createOrganization(
  cryptoDir: string,
  options: {
    readonly mspId: string;
    readonly kind: OrgKind;
    readonly nodes: number;
    readonly extraHosts?: readonly string[];
  },
): Promise<void> {
  const { mspId, kind } = options;
  const domain = domainOf(mspId);
  const dir = orgDir(cryptoDir, kind, mspId);
  if (existsSync(join(dir, 'msp'))) throw new Error(`organisation ${mspId} already exists in ${cryptoDir}`);
  const ca = await createCertificateAuthority({ commonName: `ca.${domain}`, organization: mspId });
  const tlsCa = await createCertificateAuthority({ commonName: `tlsca.${domain}`, organization: mspId });
  for (const [sub, name, authority] of [
    ['ca', 'ca', ca],
    ['tlsca', 'tlsca', tlsCa],
  ] as const) {
    await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, sub, `${name}.${domain}-cert.pem`), authority.certificatePem);
    await writeSecret(join(dir, sub, 'priv_sk'), authority.privateKeyPem);
  }
  await writeMspFolder(join(dir, 'msp'), domain, ca.certificatePem, tlsCa.certificatePem);
  const nodeKind = kind === 'peer' ? 'peers' : 'orderers';
  for (let i = 0; i < options.nodes; i++) {
    const hostname = `${kind}${i}.${domain}`;
    const nodeDir = join(dir, nodeKind, hostname);
    const identity = await issueCertificate(ca, { commonName: hostname, ou: kind, organization: mspId });
    await writeMspFolder(join(nodeDir, 'msp'), domain, ca.certificatePem, tlsCa.certificatePem, {
      name: hostname,
      pair: identity,
    });
    const tls = await issueCertificate(tlsCa, {
      commonName: hostname,
      organization: mspId,
      tls: { hosts: [hostname, ...(options.extraHosts ?? [])] },
    });
    await mkdir(join(nodeDir, 'tls'), { recursive: true });
    await writeFile(join(nodeDir, 'tls', 'ca.crt'), tlsCa.certificatePem);
    await writeFile(join(nodeDir, 'tls', 'server.crt'), tls.certificatePem);
    await writeSecret(join(nodeDir, 'tls', 'server.key'), tls.privateKeyPem);
  }
}

/**
 * Enrol a user of an organisation with Fabric CA attributes (role, patientId, deviceId…).
 * Admins get the NodeOU `admin`, everyone else `client`.
 * @throws Error if the organisation does not exist or the user already does.
 */
export async function enrollUser(
  cryptoDir: string,
  options: {
    readonly mspId: string;
    readonly name: string;
    readonly role: string;
    readonly attrs?: Readonly<Record<string, string>>;
  },
): Promise<LayoutIdentity> {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(options.name))
    throw new Error(`invalid user name '${options.name}'`);
  const domain = domainOf(options.mspId);
  const dir = orgDir(cryptoDir, 'peer', options.mspId);
  if (!existsSync(join(dir, 'ca'))) throw new Error(`no organisation ${options.mspId} in ${cryptoDir}`);
  const userId = `${options.name}@${domain}`;
  const userDir = join(dir, 'users', userId, 'msp');
  if (existsSync(userDir)) throw new Error(`user ${userId} already exists`);
  const ca = await readCa(join(dir, 'ca'), `ca.${domain}`);
  const tlsCaPem = await readFile(join(dir, 'tlsca', `tlsca.${domain}-cert.pem`), 'utf8');
  const ou: NodeOU = options.role === 'admin' ? 'admin' : 'client';
  const attrs = { role: options.role, ...(options.attrs ?? {}) };
  const pair = await issueCertificate(ca, { commonName: userId, ou, organization: options.mspId, attrs });
  await writeMspFolder(userDir, domain, ca.certificatePem, tlsCaPem, { name: userId, pair });
  return identityAt(options.mspId, options.name, userDir, pair.certificatePem);
}

function identityAt(mspId: string, user: string, mspDir: string, certificatePem: string): LayoutIdentity {
  const attrs = readAttributes(certificatePem);
  const own = Object.fromEntries(Object.entries(attrs).filter(([k]) => !k.startsWith('hf.')));
  const domain = domainOf(mspId);
  return {
    name: `${shortName(mspId)}-${user}`,
    mspId,
    role: own.role ?? '',
    certPath: join(mspDir, 'signcerts', `${user}@${domain}-cert.pem`),
    keyPath: join(mspDir, 'keystore', 'priv_sk'),
    attrs: own,
  };
}

/** Read an organisation back from the layout. @throws Error if it does not exist. */
export async function loadOrganization(
  cryptoDir: string,
  mspId: string,
  kind: OrgKind = 'peer',
): Promise<LayoutOrganization> {
  const domain = domainOf(mspId);
  const dir = orgDir(cryptoDir, kind, mspId);
  if (!existsSync(join(dir, 'msp'))) throw new Error(`no organisation ${mspId} in ${cryptoDir}`);
  const nodeKind = kind === 'peer' ? 'peers' : 'orderers';
  const nodes: LayoutNode[] = [];
  for (const hostname of existsSync(join(dir, nodeKind)) ? (await readdir(join(dir, nodeKind))).sort() : []) {
    const nodeDir = join(dir, nodeKind, hostname);
    nodes.push({
      hostname,
      certPath: join(nodeDir, 'msp', 'signcerts', `${hostname}-cert.pem`),
      keyPath: join(nodeDir, 'msp', 'keystore', 'priv_sk'),
      tlsCertPath: join(nodeDir, 'tls', 'server.crt'),
      tlsKeyPath: join(nodeDir, 'tls', 'server.key'),
      tlsCaPath: join(nodeDir, 'tls', 'ca.crt'),
    });
  }
  const users: LayoutIdentity[] = [];
  const usersDir = join(dir, 'users');
  for (const userId of existsSync(usersDir) ? (await readdir(usersDir)).sort() : []) {
    const user = userId.slice(0, userId.indexOf('@'));
    const mspDir = join(usersDir, userId, 'msp');
    const certificatePem = await readFile(join(mspDir, 'signcerts', `${userId}-cert.pem`), 'utf8');
    users.push(identityAt(mspId, user, mspDir, certificatePem));
  }
  return {
    mspId,
    kind,
    domain,
    dir,
    mspDir: join(dir, 'msp'),
    caCertPath: join(dir, 'ca', `ca.${domain}-cert.pem`),
    tlsCaCertPath: join(dir, 'tlsca', `tlsca.${domain}-cert.pem`),
    nodes,
    users,
  };
}
