import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Identity } from '@hyperledger/fabric-gateway';
import { readIdentityFiles, type IdentityLocation } from './identity-files';
import { nativeGatewaySigning, type GatewaySigning } from './native-gateway-signing';

/** What `@hyperledger/fabric-gateway`'s `connect({ identity, signer, hash })` needs. */
export interface GatewayIdentity extends GatewaySigning {
  readonly identity: Identity;
}

/**
 * Load a client identity for `@hyperledger/fabric-gateway`: `{ mspId, credentials }` (the PEM
 * certificate bytes) and a native low-S `signer` with its `hash` (`nativeGatewaySigning`), from
 * `{ certPath, keyPath }` or an MSP folder `{ mspDir }` (signcerts/, keystore/). Spread the
 * result into `connect()`.
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
  return {
    identity: { mspId: options.mspId, credentials: Buffer.from(files.certificatePem) },
    ...nativeGatewaySigning(key),
  };
}
