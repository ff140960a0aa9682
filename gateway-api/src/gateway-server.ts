import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { ConnectionFile } from '@careledger/devnet';
import type { Logger } from 'pino';
import { ApiKeyStore } from './auth/api-key-store';
import { newAuthenticator } from './auth/authenticator';
import type { Config } from './config';
import { createApp } from './http/app';
import { newMetrics } from './http/metrics';
import { newLedgerClient } from './ledger/fabric-ledger-client';
import type { LedgerClient } from './ledger/ledger-client';
import { Wallet, type WalletEntry } from './ledger/wallet';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly wallet: Wallet;
  readonly apiKeys: ApiKeyStore;
  readonly ledger: LedgerClient;
  /** Stop accepting, let in-flight requests finish (up to the grace period), close the ledger connection. */
  close(): Promise<void>;
}

/** Every identity of a connection file as a wallet entry. */
export function walletEntries(connection: ConnectionFile): WalletEntry[] {
  return connection.organisations.flatMap((org) =>
    org.identities.map((id) => ({
      name: id.name,
      mspId: org.mspId,
      role: id.role,
      certPath: id.certPath,
      keyPath: id.keyPath,
      attrs: id.attrs,
    })),
  );
}

/** Build and start the REST gateway for a network described by a connection file. */
export async function startGateway(options: {
  readonly config: Config;
  readonly connection: ConnectionFile;
  readonly logger: Logger;
  readonly version?: string;
}): Promise<RunningGateway> {
  const { config, connection, logger } = options;
  const wallet = new Wallet(walletEntries(connection));
  const apiKeys = new ApiKeyStore(config.API_KEYS_FILE ?? join(config.CARELEDGER_DATA_DIR, 'api-keys.json'));
  const ledger = newLedgerClient({
    target: {
      endpoint: connection.gatewayEndpoint,
      peerEndpoints: Object.fromEntries(
        connection.organisations.flatMap((o) => (o.peerEndpoint ? [[o.mspId, o.peerEndpoint]] : [])),
      ),
      tlsCaPem: readFileSync(connection.tlsCaPath),
      hostnameOverride: connection.hostnameOverride,
      channel: connection.channel,
      chaincode: connection.chaincode,
    },
    wallet,
    deadlines: {
      evaluateMs: config.EVALUATE_TIMEOUT_MS,
      endorseMs: config.ENDORSE_TIMEOUT_MS,
      submitMs: config.SUBMIT_TIMEOUT_MS,
      commitMs: config.COMMIT_TIMEOUT_MS,
      statusPollMs: config.STATUS_POLL_MS,
      readyMs: config.READY_TIMEOUT_MS,
    },
    retryAttempts: config.RETRY_ATTEMPTS,
    logger,
  });
  const readinessIdentity = wallet.entries()[0]?.name;
  if (!readinessIdentity) throw new Error('the connection file lists no identities');
  const shutdown = new AbortController();
  const app = createApp({
    shutdown: shutdown.signal,
    ledger,
    authenticator: newAuthenticator({
      wallet,
      apiKeys,
      jwt: config.JWT_JWKS_URL
        ? {
            jwksUrl: config.JWT_JWKS_URL,
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            identityClaim: config.JWT_IDENTITY_CLAIM,
            orgClaim: config.JWT_ORG_CLAIM,
            userClaim: config.JWT_USER_CLAIM,
          }
        : undefined,
    }),
    metrics: newMetrics(),
    logger,
    bodyLimit: config.BODY_LIMIT,
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    readinessIdentity,
    version: options.version ?? '0.1.0',
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  return {
    url: `http://${host}:${port}`,
    port,
    wallet,
    apiKeys,
    ledger,
    async close() {
      shutdown.abort();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, config.SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      ledger.close();
    },
  };
}
