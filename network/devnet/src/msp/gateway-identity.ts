import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Identity, Signer } from '@hyperledger/fabric-gateway';
import { readIdentityFiles, type IdentityLocation } from './identity-files';

/** What `@hyperledger/fabric-gateway`'s `connect({ identity, signer })` needs. */
export interface GatewayIdentity {
  readonly identity: Identity;
  readonly signer: Signer;
}

/**
 * Load a client identity for `@hyperledger/fabric-gateway`: `{ mspId, credentials }` (the PEM
 * certificate bytes) and `signers.newPrivateKeySigner(key)` (which signs low-S), from
 * `{ certPath, keyPath }` or an MSP folder `{ mspDir }` (signcerts/, keystore/).
 * fabric-gateway is imported only when this is called: it brings its own copy of
 * `@hyperledger/fabric-protos`, which must not be loaded into a process that runs the
 * embedded network in-process (see README, `spawnDevnet`).
 * @throws Error if a file cannot be read, the key is not a private key, or the key does not
 *   belong to the certificate.
 */
export async function loadGatewayIdentity(
  options: IdentityLocation & { readonly mspId: string },
): Promise<GatewayIdentity> {
  const files = await readIdentityFiles(options);
  const key = createPrivateKey(files.privateKeyPem);
  if (!new X509Certificate(files.certificatePem).checkPrivateKey(key)) {
    throw new Error(`${files.keyPath} is not the private key of ${files.certPath}`);
  }
  const { signers } = await import('@hyperledger/fabric-gateway');
  return {
    identity: { mspId: options.mspId, credentials: Buffer.from(files.certificatePem) },
    signer: signers.newPrivateKeySigner(key),
  };
}
