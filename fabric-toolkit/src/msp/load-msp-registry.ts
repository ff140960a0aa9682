import type { MspRegistry, SigningIdentity } from './msp-registry';
import { newMspRegistry, newSigningIdentity, type MspRegistryOptions } from './fabric-msp-registry';
import { readIdentityFiles, type IdentityLocation } from './identity-files';
import { loadOrganizations } from './load-organizations';

/**
 * An MSP registry trusting every organisation (peer and orderer organisations) found in a
 * crypto directory written by this tooling (`npm run certs -- init`, or the devnet's
 * `<data-dir>/crypto`); `mspIds` restricts it to those organisations.
 * @throws Error if the directory holds no organisations or a named one is missing.
 */
export async function loadMspRegistry(
  cryptoDir: string,
  options: MspRegistryOptions & { readonly mspIds?: readonly string[] } = {},
): Promise<MspRegistry> {
  const orgs = await loadOrganizations(cryptoDir);
  const wanted = options.mspIds ?? orgs.map((o) => o.mspId);
  const missing = wanted.filter((id) => !orgs.some((o) => o.mspId === id));
  if (missing.length > 0) throw new Error(`no organisation ${missing.join(', ')} in ${cryptoDir}`);
  return newMspRegistry(
    orgs
      .filter((o) => wanted.includes(o.mspId))
      .map((o) => ({ mspId: o.mspId, caCertificatePem: o.caCertificatePem })),
    options,
  );
}

/**
 * A `SigningIdentity` (peer, orderer or user) from its files or MSP folder.
 * @throws Error as `readIdentityFiles` and `newSigningIdentity` do.
 */
export async function loadSigningIdentity(
  options: IdentityLocation & { readonly mspId: string },
): Promise<SigningIdentity> {
  const files = await readIdentityFiles(options);
  return newSigningIdentity({
    mspId: options.mspId,
    certificatePem: files.certificatePem,
    privateKeyPem: files.privateKeyPem,
  });
}
