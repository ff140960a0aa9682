import { join, resolve } from 'node:path';
import {
  bootstrapCareLedgerRegistry,
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
 * The chaincode-level endorsement policy of the embedded network: any one member organisation.
 * Patient-owned keys carry a key-level policy naming the custodian, so changes to them still
 * need the custodian; one endorsement keeps a reading at about three signatures, and lets a
 * read of private data be endorsed by the custodian alone. Set DEVNET_POLICY=MAJORITY to trade
 * speed for endorsement of new records by most organisations.
 */
export const embeddedPolicy = process.env.DEVNET_POLICY ?? 'ANY';

/** Start the embedded network with CareLedger's chaincode, registry bootstrapped, under `<dataDir>/devnet`. */
export async function startEmbeddedNetwork(options: {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly port?: number;
}): Promise<Devnet> {
  const logger = options.logger.child({ component: 'devnet' });
  await ensureChaincodeBuilt(chaincodeDir, logger);
  return startDevnet({
    dataDir: join(options.dataDir, 'devnet'),
    port: options.port ?? 0,
    crypto: fileCryptoProvider,
    chaincode: { name: 'careledger', dir: chaincodeDir, policy: embeddedPolicy },
    logger,
    onReady: async (devnet) => void (await bootstrapCareLedgerRegistry(devnet, defaultOrganisations, logger)),
  });
}
