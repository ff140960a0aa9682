import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Identity, Signer } from '@hyperledger/fabric-gateway';

/** What `@hyperledger/fabric-gateway`'s `connect({ identity, signer })` needs. */
export interface GatewayIdentity {
  readonly identity: Identity;
  readonly signer: Signer;
}

/**
 * Load a client identity (PEM certificate, PKCS#8 PEM key) for `@hyperledger/fabric-gateway`.
 * fabric-gateway is imported only when this is called: it brings its own copy of
 * `@hyperledger/fabric-protos`, which must not be loaded into a process that runs the
 * embedded network in-process (see README, `spawnDevnet`).
 * @throws Error if a file cannot be read or the key is not a private key.
 */
export async function loadGatewayIdentity(options: {
  readonly certPath: string;
  readonly keyPath: string;
  readonly mspId: string;
}): Promise<GatewayIdentity> {
  const [credentials, keyPem] = await Promise.all([readFile(options.certPath), readFile(options.keyPath)]);
  const { signers } = await import('@hyperledger/fabric-gateway');
  return {
    identity: { mspId: options.mspId, credentials },
    signer: signers.newPrivateKeySigner(createPrivateKey(keyPem)),
  };
}
