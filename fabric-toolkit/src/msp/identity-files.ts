import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A signing identity's material as read from disk. */
export interface IdentityFiles {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Where an identity is: its certificate and key files, or an MSP folder holding both. */
export type IdentityLocation =
  { readonly certPath: string; readonly keyPath: string } | { readonly mspDir: string };

async function onlyFile(dir: string, what: string, preferred?: string): Promise<string> {
  if (preferred !== undefined && existsSync(join(dir, preferred))) return join(dir, preferred);
  const files = existsSync(dir) ? (await readdir(dir)).filter((f) => !f.startsWith('.')).sort() : [];
  const first = files[0];
  if (first === undefined) throw new Error(`${dir} holds no ${what}`);
  if (files.length > 1) throw new Error(`${dir} holds ${files.length} files; expected one ${what}`);
  return join(dir, first);
}

/**
 * Read a certificate and private key (PEM) from files, or from an MSP folder:
 * `signcerts/` (its one certificate) and `keystore/` (`priv_sk`, or its one file, as
 * cryptogen and fabric-ca-client write them).
 * @throws Error if a file is missing or ambiguous, or is not PEM of the expected kind.
 */
export async function readIdentityFiles(location: IdentityLocation): Promise<IdentityFiles> {
  const certPath =
    'mspDir' in location
      ? await onlyFile(join(location.mspDir, 'signcerts'), 'certificate')
      : location.certPath;
  const keyPath =
    'mspDir' in location
      ? await onlyFile(join(location.mspDir, 'keystore'), 'private key', 'priv_sk')
      : location.keyPath;
  const [certificatePem, privateKeyPem] = await Promise.all([
    readFile(certPath, 'utf8'),
    readFile(keyPath, 'utf8'),
  ]);
  if (!certificatePem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`${certPath} is not a PEM certificate`);
  }
  if (!/-----BEGIN (EC |)PRIVATE KEY-----/.test(privateKeyPem)) {
    throw new Error(`${keyPath} is not a PEM private key`);
  }
  return { certPath, keyPath, certificatePem, privateKeyPem };
}
