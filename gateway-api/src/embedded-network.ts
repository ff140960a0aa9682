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
 * `careledgerEndorsementPolicy`: any one member organisation, see there why). CareLedger needs a
 * policy that one organisation satisfies alone (ANY, or an OR of all members): patient data is
 * endorsed by its custodian only, and under MAJORITY registering a patient fails.
 */
export const embeddedPolicy = careledgerEndorsementPolicy;

/**
 * The format of what CareLedger's chaincode stores, recorded in the embedded ledger when it is
 * created. Bump it when the stored data changes incompatibly, so that an older data directory is
 * refused at start with a message saying what to do, never half-read. Format 2: patient data in
 * the custodian's implicit collection, patient keys per custodian.
 */
export const careledgerDataFormat = '2';

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
    chaincode: {
      name: 'careledger',
      dir: chaincodeDir,
      policy: options.policy ?? embeddedPolicy,
      dataFormat: careledgerDataFormat,
    },
    logger,
    onReady: async (devnet) => void (await bootstrapCareLedgerRegistry(devnet, defaultOrganisations, logger)),
  });
}
