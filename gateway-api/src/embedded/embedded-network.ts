import { join } from 'node:path';
import { ensureChaincodeBuilt, fileCryptoProvider, startDevnet, type Devnet } from '@careledger/devnet';
import type { Logger } from 'pino';
import {
  careledgerDataFormat,
  chaincodeDir,
  contractSourceDir,
  embeddedOrganisations,
  embeddedPolicy,
} from './careledger-network';
import { bootstrapEmbeddedRegistry } from './registry-bootstrap';

/** A running embedded network (the emulator's `Devnet`). */
export type EmbeddedNetwork = Devnet;

/**
 * Starts the embedded network in this process with CareLedger's chaincode (built first if its
 * sources changed), organisations and demo users, registry bootstrapped, under `<dataDir>/devnet`.
 */
export async function startEmbeddedNetwork(options: {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly port?: number;
  /** Chaincode endorsement policy (default `embeddedPolicy`). */
  readonly policy?: string;
}): Promise<EmbeddedNetwork> {
  const logger = options.logger.child({ component: 'devnet' });
  await ensureChaincodeBuilt(chaincodeDir, logger, [contractSourceDir]);
  return startDevnet({
    dataDir: join(options.dataDir, 'devnet'),
    port: options.port ?? 0,
    crypto: fileCryptoProvider,
    organisations: embeddedOrganisations,
    chaincodes: [{ name: 'careledger', dir: chaincodeDir, policy: options.policy ?? embeddedPolicy }],
    dataFormat: careledgerDataFormat,
    logger,
    onReady: (devnet) => bootstrapEmbeddedRegistry(devnet, logger),
  });
}
