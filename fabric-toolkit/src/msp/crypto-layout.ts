import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, readAttributes } from './certificate-authority';
import {
  domainOf,
  orgDir,
  readCa,
  shortName,
  writeMspFolder,
  writeSecret,
  writeTlsFolder,
  type OrgKind,
} from './msp-folder';
import type { NodeOU } from './msp-registry';

export { domainOf, nodeOuConfig, shortName, type OrgKind } from './msp-folder';

/**
 * Fabric's MSP folder layout, as cryptogen writes it, so real peers and orderers can use the
 * material as well as the embedded network (README "Certificate tooling" has the full tree):
 *
 *   <dir>/peerOrganizations/<domain>/{ca,tlsca,msp}/…, peers/peer<i>.<domain>/{msp,tls}/…,
 *         users/<name>@<domain>/{msp,tls}/…   (ordererOrganizations/<domain>/orderers/… likewise)
 */
export interface LayoutIdentity {
  /** `<org short name>-<user, lower case>`, e.g. `hospitala-doctor`: unique across the network. */
  readonly name: string;
  readonly mspId: string;
  readonly role: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** Fabric CA attributes without the `hf.*` ones (role, patientId, deviceId…). */
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

const userNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const rolePattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Create an organisation: its CA and TLS CA, the organisation MSP folder, `nodes` peers or
 * orderers (signing identity with NodeOU peer/orderer, TLS server certificate naming the node,
 * `extraHosts`, localhost and 127.0.0.1) and, unless `admin` is false, `Admin@<domain>`
 * (NodeOU admin, `role=admin`, with a TLS client certificate) as cryptogen makes it.
 * @throws Error if the organisation already exists.
 */
export async function createOrganization(
  cryptoDir: string,
  options: {
    readonly mspId: string;
    readonly kind: OrgKind;
    readonly nodes: number;
    readonly extraHosts?: readonly string[];
    readonly admin?: boolean;
  },
): Promise<void> {
  const { mspId, kind } = options;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(mspId)) throw new Error(`invalid MSP ID '${mspId}'`);
  if (!Number.isInteger(options.nodes) || options.nodes < 0) throw new Error('nodes must be an integer ≥ 0');
  const domain = domainOf(mspId);
  const dir = orgDir(cryptoDir, kind, mspId);
  if (existsSync(join(dir, 'msp'))) throw new Error(`organisation ${mspId} already exists in ${cryptoDir}`);
  const ca = await createCertificateAuthority({ commonName: `ca.${domain}`, organization: mspId });
  const tlsCa = await createCertificateAuthority({ commonName: `tlsca.${domain}`, organization: mspId });
  for (const [sub, authority] of [
    ['ca', ca],
    ['tlsca', tlsCa],
  ] as const) {
    await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, sub, `${sub}.${domain}-cert.pem`), authority.certificatePem);
    await writeSecret(join(dir, sub, 'priv_sk'), authority.privateKeyPem);
  }
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
    await writeTlsFolder(join(nodeDir, 'tls'), tlsCa.certificatePem, 'server', tls);
  }
  if (options.admin ?? true) {
    await enrollUser(cryptoDir, { mspId, name: 'Admin', role: 'admin', clientTls: true });
  }
  // The organisation MSP folder last: its presence marks a complete organisation.
  await writeMspFolder(join(dir, 'msp'), domain, ca.certificatePem, tlsCa.certificatePem);
}

/** The organisation's folder and kind, or undefined. */
function findOrg(cryptoDir: string, mspId: string): { dir: string; kind: OrgKind } | undefined {
  for (const kind of ['peer', 'orderer'] as const) {
    const dir = orgDir(cryptoDir, kind, mspId);
    if (existsSync(join(dir, 'ca'))) return { dir, kind };
  }
  return undefined;
}

/**
 * Enrol a user of an organisation with Fabric CA attributes: `role` plus `attrs` (patientId,
 * deviceId…); `hf.EnrollmentID` is `<name>@<domain>`. Role `admin` gets NodeOU `admin`,
 * every other role `client`. `clientTls` also writes `tls/{ca.crt,client.crt,client.key}`.
 * @throws Error if the organisation does not exist, the user already does (names compare
 *   case-insensitively), or the name, role or an attribute is invalid.
 */
export async function enrollUser(
  cryptoDir: string,
  options: {
    readonly mspId: string;
    readonly name: string;
    readonly role: string;
    readonly attrs?: Readonly<Record<string, string>>;
    readonly clientTls?: boolean;
  },
): Promise<LayoutIdentity> {
  const { mspId, name, role } = options;
  if (!userNamePattern.test(name)) {
    throw new Error(`invalid user name '${name}' (letters, digits, '.', '_', '-'; at most 64)`);
  }
  if (!rolePattern.test(role)) throw new Error(`invalid role '${role}'`);
  for (const key of Object.keys(options.attrs ?? {})) {
    if (key === 'role' || key.startsWith('hf.') || !/^[A-Za-z][A-Za-z0-9_.]*$/.test(key)) {
      throw new Error(`attribute '${key}' cannot be set (role and hf.* are set by the tooling)`);
    }
  }
  const org = findOrg(cryptoDir, mspId);
  if (!org) throw new Error(`no organisation ${mspId} in ${cryptoDir}`);
  const domain = domainOf(mspId);
  const userId = `${name}@${domain}`;
  const usersDir = join(org.dir, 'users');
  const existing = existsSync(usersDir) ? await readdir(usersDir) : [];
  if (existing.some((u) => u.toLowerCase() === userId.toLowerCase())) {
    throw new Error(`user ${userId} already exists`);
  }
  const ca = await readCa(join(org.dir, 'ca'), `ca.${domain}`);
  const tlsCaPem = await readFile(join(org.dir, 'tlsca', `tlsca.${domain}-cert.pem`), 'utf8');
  const ou: NodeOU = role === 'admin' ? 'admin' : 'client';
  const attrs = { ...options.attrs, role };
  const pair = await issueCertificate(ca, { commonName: userId, ou, organization: mspId, attrs });
  const userDir = join(usersDir, userId);
  if (options.clientTls) {
    const tlsCa = await readCa(join(org.dir, 'tlsca'), `tlsca.${domain}`);
    const tls = await issueCertificate(tlsCa, {
      commonName: userId,
      organization: mspId,
      tls: { hosts: [] },
    });
    await writeTlsFolder(join(userDir, 'tls'), tlsCaPem, 'client', tls);
  }
  // msp/ last: loadOrganization lists a user once its signing certificate exists.
  await writeMspFolder(join(userDir, 'msp'), domain, ca.certificatePem, tlsCaPem, { name: userId, pair });
  return identityAt(mspId, name, join(userDir, 'msp'), pair.certificatePem);
}

function identityAt(mspId: string, user: string, mspDir: string, certificatePem: string): LayoutIdentity {
  const attrs = readAttributes(certificatePem);
  const own = Object.fromEntries(Object.entries(attrs).filter(([k]) => !k.startsWith('hf.')));
  return {
    name: `${shortName(mspId)}-${user.toLowerCase()}`,
    mspId,
    role: own.role ?? '',
    certPath: join(mspDir, 'signcerts', `${user}@${domainOf(mspId)}-cert.pem`),
    keyPath: join(mspDir, 'keystore', 'priv_sk'),
    attrs: own,
  };
}

/**
 * Read an organisation back from the layout: nodes and the users whose MSP folder is complete.
 * @throws Error if it does not exist.
 */
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
    const certPath = join(mspDir, 'signcerts', `${userId}-cert.pem`);
    if (!existsSync(certPath)) continue;
    users.push(identityAt(mspId, user, mspDir, await readFile(certPath, 'utf8')));
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
