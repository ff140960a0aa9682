import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createOrganization,
  enrollUser,
  loadOrganization,
  newMspRegistry,
  newSigningIdentity,
} from '@careledger/fabric-toolkit';
import type { CryptoProvider, DevnetCrypto } from './devnet-crypto';

const COMPLETE_MARKER = '.complete';

/** Where `fileCryptoProvider` keeps a network's key material: `<dataDir>/crypto`, in Fabric's MSP layout. */
export function cryptoDirOf(dataDir: string): string {
  return join(dataDir, 'crypto');
}

/**
 * The embedded network's key material in Fabric's MSP layout under `<dataDir>/crypto`:
 * generated (organisations, one peer each, each organisation's `users`) on the first start, loaded
 * after (`cryptoDirOf(dataDir)`, where more users can be enrolled with the toolkit's `enrollUser`).
 * A half-written directory from an interrupted first start is refused with a clear message.
 */
export const fileCryptoProvider: CryptoProvider = async (dataDir, organisations): Promise<DevnetCrypto> => {
  const cryptoDir = cryptoDirOf(dataDir);
  const marker = join(cryptoDir, COMPLETE_MARKER);
  if (!existsSync(marker)) {
    if (existsSync(join(cryptoDir, 'peerOrganizations'))) {
      throw new Error(
        `${cryptoDir} is incomplete (an interrupted first start?); delete ${dataDir} and start again`,
      );
    }
    for (const org of organisations) {
      await createOrganization(cryptoDir, { mspId: org.mspId, kind: 'peer', nodes: 1 });
      for (const user of org.users ?? []) {
        await enrollUser(cryptoDir, {
          mspId: org.mspId,
          name: user.name,
          role: user.role,
          attrs: user.attrs,
        });
      }
    }
    await writeFile(marker, `${new Date().toISOString()}\n`);
  }
  const loaded = await Promise.all(organisations.map((o) => loadOrganization(cryptoDir, o.mspId)));
  const authorities = new Map(
    await Promise.all(
      loaded.map(
        async (o) =>
          [
            o.mspId,
            {
              caCertificatePem: await readFile(o.caCertPath, 'utf8'),
              tlsCaCertificatePem: await readFile(o.tlsCaCertPath, 'utf8'),
            },
          ] as const,
      ),
    ),
  );
  const registry = newMspRegistry(
    [...authorities].map(([mspId, { caCertificatePem }]) => ({ mspId, caCertificatePem })),
  );
  const peers = await Promise.all(
    loaded.map(async (o) => {
      const node = o.nodes[0];
      if (!node) throw new Error(`organisation ${o.mspId} has no peer in ${cryptoDir}`);
      return {
        mspId: o.mspId,
        hostname: node.hostname,
        identity: newSigningIdentity({
          mspId: o.mspId,
          certificatePem: await readFile(node.certPath, 'utf8'),
          privateKeyPem: await readFile(node.keyPath, 'utf8'),
        }),
      };
    }),
  );
  // The gateway serves with the first organisation's peer TLS certificate (it names localhost).
  const gatewayNode = loaded[0]?.nodes[0];
  if (!gatewayNode) throw new Error('the embedded network needs at least one organisation');
  return {
    registry,
    peers,
    tls: {
      caPath: gatewayNode.tlsCaPath,
      certificatePem: await readFile(gatewayNode.tlsCertPath, 'utf8'),
      keyPem: await readFile(gatewayNode.tlsKeyPath, 'utf8'),
    },
    identities: new Map(
      loaded.map((o) => [
        o.mspId,
        o.users.map(({ name, role, certPath, keyPath, attrs }) => ({
          name,
          role,
          certPath,
          keyPath,
          attrs: { ...attrs },
        })),
      ]),
    ),
    certificateAuthorities: authorities,
  };
};
