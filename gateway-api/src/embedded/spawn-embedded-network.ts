import { resolve } from 'node:path';
import { cryptoDirOf, spawnDevnet, type DevnetProcess, type SpawnDevnetOptions } from '@careledger/devnet';
import { enrollUser, type ConnectionIdentity } from '@careledger/fabric-toolkit';

/** A user to enrol into a running embedded network's organisation. */
export interface NewIdentity {
  readonly name: string;
  readonly role: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** CareLedger's embedded network in a child process of its own. */
export interface EmbeddedNetworkProcess extends DevnetProcess {
  /**
   * Enrols identities of `mspId` with its CA (certificate and key written where the network keeps
   * its crypto material), for a connection file or a gateway's wallet; the network needs no restart.
   */
  enrollIdentities(mspId: string, users: readonly NewIdentity[]): Promise<ConnectionIdentity[]>;
}

/**
 * Starts `npm run devnet` (CareLedger's chaincode, organisations, demo users, registry bootstrap)
 * in a child process and resolves once it serves. A separate process shares no event loop with
 * its clients: the benchmark measures the gateway, not contention for one thread.
 */
export async function spawnEmbeddedNetwork(
  options: Omit<SpawnDevnetOptions, 'script' | 'chaincodeDir' | 'chaincodeName'>,
): Promise<EmbeddedNetworkProcess> {
  const devnet = await spawnDevnet({ ...options, script: resolve(__dirname, 'devnet-cli.ts') });
  const cryptoDir = cryptoDirOf(devnet.dataDir);
  return {
    ...devnet,
    enrollIdentities: (mspId, users) =>
      Promise.all(
        users.map(async (u) => {
          const { name, certPath, keyPath, attrs } = await enrollUser(cryptoDir, {
            mspId,
            name: u.name,
            role: u.role,
            ...(u.attrs ? { attrs: u.attrs } : {}),
          });
          return { name, role: u.role, certPath, keyPath, attrs: { ...attrs } };
        }),
      ),
  };
}
