import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type Devnet } from '@careledger/devnet';
import { loadConnectionFile } from '@careledger/fabric-toolkit';
import { loadConfig, startEmbeddedNetwork, startGateway, type RunningGateway } from '@careledger/gateway-api';
import pino from 'pino';

const logger = pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' });

/** A REST gateway for end-to-end tests over HTTP, with an API key per identity of its wallet. */
export interface GatewayStack {
  readonly dataDir: string;
  readonly gateway: RunningGateway;
  /** An API key for every identity of the wallet, by identity name. */
  readonly keys: Readonly<Record<string, string>>;
  /** Stops the gateway (and the network, if the stack started one) and removes the data directory. */
  close(): Promise<void>;
}

/** The embedded network and the REST gateway in this process. */
export interface EmbeddedStack extends GatewayStack {
  readonly devnet: Devnet;
}

/**
 * A connection file (`CARELEDGER_E2E_CONNECTION`) makes `startGatewayStack` use that network
 * instead of starting the embedded one: how the scenarios that need nothing but HTTP run against
 * a real Fabric network (see network/README.md). Such a network must be fresh: the scenarios use
 * fixed patient and device ids.
 */
export const externalConnection = process.env.CARELEDGER_E2E_CONNECTION;

/**
 * A gateway on a free port in a fresh temporary directory, with `settings` on top of the
 * defaults (silent logs), against the network of `CARELEDGER_E2E_CONNECTION` when set and the
 * embedded network otherwise.
 */
export async function startGatewayStack(
  name: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<GatewayStack> {
  if (externalConnection === undefined) return startEmbeddedStack(name, settings);
  const dataDir = mkdtempSync(join(tmpdir(), `careledger-${name}-`));
  try {
    return await withGateway(dataDir, externalConnection, settings, async () => undefined);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Starts the embedded network and a gateway on a free port in a fresh temporary directory,
 * with `settings` on top of the defaults (silent logs), and an API key per identity.
 */
export async function startEmbeddedStack(
  name: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<EmbeddedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `careledger-${name}-`));
  // Relative to the working directory, as `npm start`'s default `.careledger` is.
  const devnet = await startEmbeddedNetwork({ dataDir: relative(process.cwd(), dataDir), logger });
  try {
    const stack = await withGateway(dataDir, devnet.connectionFilePath, settings, () => devnet.stop());
    return { ...stack, devnet };
  } catch (err) {
    await devnet.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

async function withGateway(
  dataDir: string,
  connectionFile: string,
  settings: Readonly<Record<string, string>>,
  stopNetwork: () => Promise<void>,
): Promise<GatewayStack> {
  const config = loadConfig({
    PORT: '0',
    CARELEDGER_DATA_DIR: relative(process.cwd(), dataDir),
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    ...settings,
  });
  const gateway = await startGateway({
    config,
    connection: await loadConnectionFile(connectionFile),
    logger,
  });
  const keys: Record<string, string> = {};
  for (const entry of gateway.wallet.entries()) keys[entry.name] = gateway.apiKeys.create(entry.name).key;
  return {
    dataDir,
    gateway,
    keys,
    close: async () => {
      await gateway.close();
      await stopNetwork();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
