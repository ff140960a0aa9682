import { announceReady, UsageError } from '@careledger/fabric-toolkit';
import pino, { type Logger } from 'pino';
import { ensureChaincodeBuilt } from './chaincode-build';
import { readDevnetConfig, usageOf, type DevnetConfig, type DevnetDefaults } from './config';
import { startDevnet, type Devnet } from './devnet';
import type { DevnetOrganisation } from './devnet-crypto';
import { fileCryptoProvider } from './file-crypto-provider';
import { runVerifyCli } from './verify-cli';

/** What an application's devnet command configures; the emulator itself knows none of it. */
export interface DevnetProfile {
  /** How the person at the terminal runs it, for the usage text (`npm run devnet`). */
  readonly command: string;
  readonly defaults?: DevnetDefaults;
  readonly organisations: readonly DevnetOrganisation[];
  /** The application's stored-data format (`DevnetChaincode.dataFormat`). */
  readonly dataFormat?: string;
  /** More source directories whose changes mean the chaincode must be built again. */
  readonly chaincodeSources?: readonly string[];
  /** Runs once the network serves (e.g. an application's bootstrap transaction). */
  readonly onReady?: (devnet: Devnet, logger: Logger) => Promise<void>;
}

/**
 * The devnet command: reads flags and environment, builds the chaincode if needed, starts the
 * network, prints where it serves (and announces it to a parent that spawned it), and stops on
 * SIGINT / SIGTERM. Sets `process.exitCode`: 0, 1 failed, 2 usage error.
 */
export async function runDevnetCli(argv: readonly string[], profile: DevnetProfile): Promise<void> {
  // `<command> -- verify …` checks the ledger of a stopped devnet instead (verify-cli.ts).
  if (argv[0] === 'verify') {
    await runVerifyCli(argv.slice(1), { command: profile.command, dataDir: profile.defaults?.dataDir });
    return;
  }
  const usage = usageOf(profile.command, profile.defaults);
  let config: DevnetConfig | 'help';
  try {
    config = readDevnetConfig(argv, process.env, profile.defaults);
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
  try {
    for (const cc of config.chaincodes) await ensureChaincodeBuilt(cc.dir, logger, profile.chaincodeSources);
    const devnet = await startDevnet({
      dataDir: config.dataDir,
      port: config.port,
      host: config.host,
      channel: config.channel,
      crypto: fileCryptoProvider,
      organisations: config.organisations ?? profile.organisations,
      chaincodes: config.chaincodes,
      limits: { gatewayService: config.gatewayConcurrency },
      ...(profile.dataFormat === undefined ? {} : { dataFormat: profile.dataFormat }),
      batch: {
        maxMessageCount: config.batchSize,
        batchTimeoutMs: config.batchTimeoutMs,
        preferredMaxBytes: config.preferredMaxBytes,
        absoluteMaxBytes: config.absoluteMaxBytes,
      },
      logger,
      ...(profile.onReady ? { onReady: (d: Devnet) => profile.onReady!(d, logger) } : {}),
    });
    console.log(`devnet ready at ${devnet.endpoint}; connection file: ${devnet.connectionFilePath}`);
    announceReady({ endpoint: devnet.endpoint, connectionFilePath: devnet.connectionFilePath });
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
  } catch (err) {
    console.error(`devnet: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
