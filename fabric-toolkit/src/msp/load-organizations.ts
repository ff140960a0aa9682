import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { domainOf, loadOrganization, type LayoutOrganization, type OrgKind } from './crypto-layout';

/** An organisation read back from the layout, with its CA certificates' contents. */
export interface LoadedOrganization extends LayoutOrganization {
  readonly caCertificatePem: string;
  readonly tlsCaCertificatePem: string;
}

const kindDirs: readonly (readonly [OrgKind, string])[] = [
  ['peer', 'peerOrganizations'],
  ['orderer', 'ordererOrganizations'],
];

/** The MSP ID is the O of the organisation's CA certificate (as `createOrganization` writes it). */
function mspIdOf(caPem: string, caPath: string): string {
  const o = /^O=(.+)$/m.exec(new X509Certificate(caPem).subject)?.[1];
  if (!o) throw new Error(`${caPath} has no O (MSP ID) in its subject`);
  return o;
}

/**
 * Every organisation under `cryptoDir` (peer organisations first, then orderer organisations,
 * each sorted by domain), with nodes, users (certificate and key paths, Fabric CA attributes
 * read back from the certificates) and CA certificates.
 * @throws Error if `cryptoDir` holds no organisation or an organisation's CA is missing or
 *   does not match its folder.
 */
export async function loadOrganizations(cryptoDir: string): Promise<LoadedOrganization[]> {
  const result: LoadedOrganization[] = [];
  for (const [kind, sub] of kindDirs) {
    const base = join(cryptoDir, sub);
    if (!existsSync(base)) continue;
    for (const domain of (await readdir(base)).sort()) {
      const caPath = join(base, domain, 'ca', `ca.${domain}-cert.pem`);
      if (!existsSync(caPath)) throw new Error(`${join(base, domain)} has no CA certificate ${caPath}`);
      const caCertificatePem = await readFile(caPath, 'utf8');
      const mspId = mspIdOf(caCertificatePem, caPath);
      if (domainOf(mspId) !== domain) {
        throw new Error(`${caPath} names MSP ${mspId}, whose domain is ${domainOf(mspId)}, not ${domain}`);
      }
      const org = await loadOrganization(cryptoDir, mspId, kind);
      result.push({
        ...org,
        caCertificatePem,
        tlsCaCertificatePem: await readFile(org.tlsCaCertPath, 'utf8'),
      });
    }
  }
  if (result.length === 0) throw new Error(`no organisations in ${cryptoDir}`);
  return result;
}
