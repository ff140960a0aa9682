import pino from 'pino';
import { bootstrapCareLedgerRegistry } from './careledger-bootstrap';
import { ensureChaincodeBuilt } from './chaincode-build';
import { careledgerChaincodeDir, readDevnetConfig, usage, UsageError, type DevnetConfig } from './config';
import { startDevnet } from './devnet';
import { defaultOrganisations } from './devnet-crypto';
import { fileCryptoProvider } from './msp';

async function main(): Promise<void> {
  let config: DevnetConfig | 'help';
  try {
    config = readDevnetConfig(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`devnet: ${err.message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (config === 'help') {
    console.log(usage);
    return;
  }
  const logger = pino({ name: 'devnet', level: config.logLevel });
  await ensureChaincodeBuilt(config.chaincodeDir, logger);
  // The registry bootstrap belongs to CareLedger's chaincode, whatever name it is served under.
  const careledger = config.chaincodeDir === careledgerChaincodeDir;
  const devnet = await startDevnet({
    dataDir: config.dataDir,
    port: config.port,
    host: config.host,
    crypto: fileCryptoProvider,
    chaincode: {
      name: config.chaincodeName,
      dir: config.chaincodeDir,
      version: config.chaincodeVersion,
      policy: config.policy,
    },
    batch: { maxMessageCount: config.batchSize, batchTimeoutMs: config.batchTimeoutMs },
    logger,
    ...(careledger
      ? { onReady: async (d) => void (await bootstrapCareLedgerRegistry(d, defaultOrganisations, logger)) }
      : {}),
  });
  console.log(`devnet ready at ${devnet.endpoint}; connection file: ${devnet.connectionFilePath}`);
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    devnet.stop().then(
      () => (process.exitCode = 0),
      (err: unknown) => {
        logger.error({ err }, 'devnet did not stop cleanly');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`devnet: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
