import { join, resolve } from 'node:path';
import {
  bootstrapCareLedgerRegistry,
  careledgerEndorsementPolicy,
  defaultOrganisations,
  ensureChaincodeBuilt,
  fileCryptoProvider,
  startDevnet,
  type Devnet,
} from '@careledger/devnet';
import type { Logger } from 'pino';

/** CareLedger's chaincode directory in this repository. */
export const chaincodeDir = resolve(__dirname, '..', '..', 'chaincode');

/**
 * The default chaincode-level endorsement policy of the embedded network (the devnet's
 * `careledgerEndorsementPolicy`: any one member organisation, see there why).
 * EMBEDDED_POLICY=MAJORITY trades speed for endorsement of new records by most organisations.
 */
export const embeddedPolicy = careledgerEndorsementPolicy;

/** Start the embedded network with CareLedger's chaincode, registry bootstrapped, under `<dataDir>/devnet`. */
export async function startEmbeddedNetwork(options: {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly port?: number;
  /** Chaincode endorsement policy (default `embeddedPolicy`). */
  readonly policy?: string;
}): Promise<Devnet> {
  const logger = options.logger.child({ component: 'devnet' });
  await ensureChaincodeBuilt(chaincodeDir, logger);
  return startDevnet({
    dataDir: join(options.dataDir, 'devnet'),
    port: options.port ?? 0,
    crypto: fileCryptoProvider,
    chaincode: { name: 'careledger', dir: chaincodeDir, policy: options.policy ?? embeddedPolicy },
    logger,
    onReady: async (devnet) => void (await bootstrapCareLedgerRegistry(devnet, defaultOrganisations, logger)),
  });
}
