import { join } from 'node:path';
import { targetOf, type ConnectionFile } from '@careledger/fabric-toolkit';
import type { Logger } from 'pino';
import { ApiKeyStore } from './auth/api-key-store';
import { newAuthenticator } from './auth/authenticator';
import type { Config } from './config';
import { createApp } from './http/app';
import { newGracefulServer, type ShutdownOutcome } from './http/graceful-server';
import { newMetrics } from './http/metrics';
import { IntakeStore } from './intake/intake-store';
import { ReadingIntake } from './intake/reading-intake';
import { newCareLedger } from './ledger/care-ledger';
import { newCommittedReadings } from './ledger/committed-readings';
import { newLedgerClient } from './ledger/fabric-ledger-client';
import type { LedgerClient } from './ledger/ledger-client';
import { Wallet, type WalletEntry } from './ledger/wallet';
import { watchConnectionFile } from './ledger/wallet-reloader';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly wallet: Wallet;
  readonly apiKeys: ApiKeyStore;
  readonly ledger: LedgerClient;
  /**
   * Graceful shutdown: stop accepting connections, end event streams, answer /readyz with 503,
   * let requests in flight finish (each answered with `Connection: close`) for up to
   * SHUTDOWN_GRACE_MS, then close what is left and, last, the ledger connections.
   */
  close(): Promise<ShutdownOutcome>;
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
  /** The file `connection` was read from: watched, so that identities added to it are used at once. */
  readonly connectionFilePath?: string;
  readonly logger: Logger;
  readonly version?: string;
  /** Why the network cannot take transactions, if known (the embedded network's health); /readyz answers 503 with it. */
  readonly networkProblem?: () => string | undefined;
}): Promise<RunningGateway> {
  const { config, connection, logger } = options;
  const wallet = new Wallet(walletEntries(connection));
  const apiKeys = new ApiKeyStore(config.API_KEYS_FILE ?? join(config.CARELEDGER_DATA_DIR, 'api-keys.json'));
  const ledger = newLedgerClient({
    target: targetOf(connection),
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
  const intakeStore = await IntakeStore.open(join(config.CARELEDGER_DATA_DIR, 'intake')).catch(
    (err: unknown) => {
      ledger.close();
      throw err;
    },
  );
  // One facade, so that the intake's signed readings share the routes' batcher and its settings.
  const careLedger = newCareLedger(ledger, {
    maxBatch: config.SIGNED_BATCH_MAX,
    maxInFlight: config.SIGNED_BATCH_IN_FLIGHT,
    maxWaitMs: config.SIGNED_BATCH_MAX_WAIT_MS,
    maxWaiting: 20_000,
  });
  const intake = new ReadingIntake({
    store: intakeStore,
    ledger: careLedger,
    logger,
    maxQueuedReadings: config.INTAKE_MAX_READINGS,
    concurrency: config.INTAKE_CONCURRENCY,
    retentionMs: config.INTAKE_RETENTION_S * 1000,
  });
  if (intake.queuedReadings > 0)
    logger.info({ readings: intake.queuedReadings }, 'the intake resumes sending queued readings');
  void wallet.warm((identity, err) =>
    logger.warn(
      { identity, err: err instanceof Error ? err.message : String(err) },
      'cannot load the identity; its calls will fail',
    ),
  );
  const shutdown = new AbortController();
  const committedReadings = newCommittedReadings({ ledger, logger });
  const app = createApp({
    committedReadings,
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
            maxLifetimeS: config.JWT_MAX_LIFETIME_S,
          }
        : undefined,
    }),
    metrics: newMetrics(),
    logger,
    bodyLimit: config.BODY_LIMIT,
    maxWritesInFlight: config.MAX_WRITES_IN_FLIGHT,
    maxWriteQueueDelayMs: config.MAX_WRITE_QUEUE_DELAY_MS,
    careLedger,
    maxEventLoopLagMs: config.MAX_EVENT_LOOP_LAG_MS,
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    readinessIdentity,
    intake,
    version: options.version ?? '0.1.0',
    ...(options.networkProblem === undefined ? {} : { networkProblem: options.networkProblem }),
  });
  const graceful = newGracefulServer({
    handler: app.callback(),
    shutdown,
    graceMs: config.SHUTDOWN_GRACE_MS,
    ledger,
    beforeLedgerCloses: () => {
      committedReadings.close();
      return intake.close(config.SHUTDOWN_GRACE_MS);
    },
    logger,
  });
  const { server } = graceful;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await intake.close(0);
    ledger.close();
    throw err;
  }
  intake.start();
  const reloader =
    options.connectionFilePath === undefined
      ? undefined
      : watchConnectionFile({ path: options.connectionFilePath, wallet, entriesOf: walletEntries, logger });
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
    close: () => {
      reloader?.stop();
      return graceful.stop();
    },
  };
}
