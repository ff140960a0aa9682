import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadConnectionFile, type Devnet } from '@careledger/devnet';
import { loadConfig, startEmbeddedNetwork, startGateway, type RunningGateway } from '@careledger/gateway-api';
import pino from 'pino';

/** The embedded network and the REST gateway in this process, for end-to-end tests over HTTP. */
export interface EmbeddedStack {
  readonly dataDir: string;
  readonly devnet: Devnet;
  readonly gateway: RunningGateway;
  /** An API key for every identity of the wallet, by identity name. */
  readonly keys: Readonly<Record<string, string>>;
  /** Stops the gateway and the network and removes the data directory. */
  close(): Promise<void>;
}

/**
 * Starts the embedded network and a gateway on a free port in a fresh temporary directory,
 * with `settings` on top of the defaults (silent logs), and an API key per identity.
 */
export async function startEmbeddedStack(
  name: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<EmbeddedStack> {
  const logger = pino({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), `careledger-${name}-`));
  // Relative to the working directory, as `npm start`'s default `.careledger` is.
  const relativeDataDir = relative(process.cwd(), dataDir);
  const devnet = await startEmbeddedNetwork({ dataDir: relativeDataDir, logger });
  let gateway: RunningGateway;
  try {
    const config = loadConfig({
      PORT: '0',
      CARELEDGER_DATA_DIR: relativeDataDir,
      LOG_LEVEL: 'silent',
      ...settings,
    });
    gateway = await startGateway({
      config,
      connection: await loadConnectionFile(devnet.connectionFilePath),
      logger,
    });
  } catch (err) {
    await devnet.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const keys: Record<string, string> = {};
  for (const entry of gateway.wallet.entries()) keys[entry.name] = gateway.apiKeys.create(entry.name).key;
  return {
    dataDir,
    devnet,
    gateway,
    keys,
    close: async () => {
      await gateway.close();
      await devnet.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
