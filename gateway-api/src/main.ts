import { join } from 'node:path';
import { announceReady, loadConnectionFile, type ConnectionFile } from '@careledger/fabric-toolkit';
import pino from 'pino';
import { applyStartFlags, loadConfig, readEnvironment, startUsage, type Config } from './config';
import { ensureDemoKeys } from './demo-keys';
import { curlExamples } from './curl-examples';
import { startEmbeddedNetwork, type EmbeddedNetwork } from './embedded-entry';
import { startGateway } from './gateway-server';

function configFrom(argv: string[]): Config | undefined {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(startUsage);
    return undefined;
  }
  try {
    return loadConfig(applyStartFlags(argv, readEnvironment()));
  } catch (err) {
    process.stderr.write(`careledger: ${(err as Error).message}\n\n${startUsage}`);
    process.exitCode = 2;
    return undefined;
  }
}

async function main(argv: string[]): Promise<void> {
  const config = configFrom(argv);
  if (!config) return;
  // Logs go to stderr; stdout carries the URLs and examples for the person at the terminal.
  const logger = pino({ name: 'careledger', level: config.LOG_LEVEL }, pino.destination(2));
  let devnet: EmbeddedNetwork | undefined;
  let connection: ConnectionFile;
  let connectionFilePath: string;
  if (config.CARELEDGER_CONNECTION) {
    connectionFilePath = config.CARELEDGER_CONNECTION;
    connection = await loadConnectionFile(connectionFilePath);
  } else {
    devnet = await startEmbeddedNetwork({
      dataDir: config.CARELEDGER_DATA_DIR,
      logger,
      policy: config.EMBEDDED_POLICY,
    });
    connectionFilePath = devnet.connectionFilePath;
    connection = await loadConnectionFile(connectionFilePath);
  }
  const embedded = devnet;
  const networkProblem =
    embedded === undefined
      ? undefined
      : (): string | undefined => {
          const health = embedded.health();
          return health.status === 'OK' ? undefined : health.failedChecks.map((c) => c.reason).join('; ');
        };
  const gateway = await startGateway({
    config,
    connection,
    connectionFilePath,
    logger,
    ...(networkProblem === undefined ? {} : { networkProblem }),
  }).catch(async (err: unknown) => {
    await devnet?.stop();
    throw err;
  });
  const demoKeysPath = join(config.CARELEDGER_DATA_DIR, 'demo-api-keys.json');
  const lines = [
    '',
    `CareLedger REST API: ${gateway.url}`,
    `  Ward dashboard: ${gateway.url}/ (sign in with an API key)`,
    `  API docs: ${gateway.url}/docs   OpenAPI: ${gateway.url}/openapi.json   metrics: ${gateway.url}/metrics`,
    devnet
      ? `  Embedded network: ${devnet.endpoint} (connection file ${devnet.connectionFilePath})`
      : `  Network: ${connection.gatewayEndpoint} (channel ${connection.channel})`,
  ];
  if (devnet) {
    const keys = ensureDemoKeys(demoKeysPath, gateway.wallet, gateway.apiKeys);
    lines.push(
      `  Ward dashboard key of a Hospital A nurse: ${keys['hospitala-nurse'] ?? '(none)'}`,
      `  Demo API keys, one per identity (development fixture, stored hashed in the key store): ${demoKeysPath}`,
      '',
      curlExamples(gateway.url, keys),
      '',
    );
  } else {
    lines.push('  Create API keys with: npm run apikey -- create --org <MSP ID> --user <name>', '');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  announceReady({ url: gateway.url });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // The devnet stops after the gateway, which closed its ledger connections last.
    const shutDown = async (): Promise<boolean> => {
      try {
        return (await gateway.close()).clean;
      } finally {
        await devnet?.stop();
      }
    };
    shutDown().then(
      (clean) => {
        process.exitCode = clean ? 0 : 1;
      },
      (err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exitCode = 1;
      },
    );
  };
  // once: a second SIGINT during the drain gets Node's default, an immediate exit.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`careledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
