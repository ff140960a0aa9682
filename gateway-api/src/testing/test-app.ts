import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ApiKeyStore } from '../auth/api-key-store';
import { newAuthenticator } from '../auth/authenticator';
import { createApp } from '../http/app';
import { newGracefulServer, type ShutdownOutcome } from '../http/graceful-server';
import { newMetrics } from '../http/metrics';
import { IntakeStore } from '../intake/intake-store';
import { ReadingIntake } from '../intake/reading-intake';
import { newCareLedger, type CareLedger } from '../ledger/care-ledger';
import { newCommittedReadings } from '../ledger/committed-readings';
import { Wallet, type WalletEntry } from '../ledger/wallet';
import { FakeLedgerClient } from './fake-ledger-client';

const entry = (
  name: string,
  mspId: string,
  role: string,
  attrs: Record<string, string> = {},
): WalletEntry => ({
  name,
  mspId,
  role,
  certPath: '-',
  keyPath: '-',
  attrs: { role, ...attrs },
});

/** The identities of the app tests. */
export const testWallet = new Wallet([
  entry('a-nurse', 'HospitalAMSP', 'nurse'),
  entry('a-doctor', 'HospitalAMSP', 'doctor'),
  entry('a-patient', 'HospitalAMSP', 'patient', { patientId: 'p-1' }),
  entry('b-doctor', 'HospitalBMSP', 'doctor'),
  entry('lab-technician', 'LabMSP', 'technician'),
]);

export interface TestApp {
  readonly ledger: FakeLedgerClient;
  readonly server: Server;
  readonly url: string;
  readonly keys: Record<string, string>;
  readonly shutdown: AbortController;
  /** A request as `as` (default the nurse), JSON by default. */
  request(path: string, init?: RequestInit & { as?: string }): Promise<Response>;
  /** The gateway's graceful shutdown (grace period `graceMs`, default 2 s). */
  close(): Promise<ShutdownOutcome>;
}

/** The real app over a fake ledger, listening on a free port. */
export function startTestApp(
  options: {
    bodyLimit?: string;
    corsOrigins?: string[];
    logger?: pino.Logger;
    graceMs?: number;
    networkProblem?: () => string | undefined;
    maxWritesInFlight?: number;
    maxEventLoopLagMs?: number;
    ledger?: FakeLedgerClient;
    careLedger?: CareLedger;
    intake?: ReadingIntake;
  } = {},
): TestApp {
  const ledger = options.ledger ?? new FakeLedgerClient();
  const apiKeys = new ApiKeyStore(join(mkdtempSync(join(tmpdir(), 'keys-')), 'api-keys.json'));
  const keys = Object.fromEntries(testWallet.entries().map((e) => [e.name, apiKeys.create(e.name).key]));
  const shutdown = new AbortController();
  const logger = options.logger ?? pino({ level: 'silent' });
  const app = createApp({
    ledger,
    committedReadings: newCommittedReadings({ ledger, logger, reopenMs: 10 }),
    authenticator: newAuthenticator({ wallet: testWallet, apiKeys }),
    metrics: newMetrics(),
    logger,
    bodyLimit: options.bodyLimit ?? '2kb',
    ...(options.intake === undefined ? {} : { intake: options.intake }),
    ...(options.careLedger === undefined ? {} : { careLedger: options.careLedger }),
    corsOrigins: options.corsOrigins ?? ['https://ward.example'],
    readinessIdentity: 'a-nurse',
    version: 'test',
    shutdown: shutdown.signal,
    ...(options.networkProblem === undefined ? {} : { networkProblem: options.networkProblem }),
    ...(options.maxWritesInFlight === undefined ? {} : { maxWritesInFlight: options.maxWritesInFlight }),
    ...(options.maxEventLoopLagMs === undefined ? {} : { maxEventLoopLagMs: options.maxEventLoopLagMs }),
  });
  const graceful = newGracefulServer({
    handler: app.callback(),
    shutdown,
    graceMs: options.graceMs ?? 2000,
    ledger,
    ...(options.intake === undefined ? {} : { beforeLedgerCloses: () => options.intake!.close(1000) }),
    logger,
  });
  const server = graceful.server.listen(0);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    ledger,
    server,
    url,
    keys,
    shutdown,
    request: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: {
          'x-api-key': keys[init.as ?? 'a-nurse'] ?? '',
          'content-type': 'application/json',
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    close: () => graceful.stop(),
  };
}

/** The test app with the durable intake of asynchronous readings, on a store in a fresh directory. */
export async function startTestAppWithIntake(
  options: Omit<Parameters<typeof startTestApp>[0] & object, 'ledger' | 'careLedger' | 'intake'> = {},
): Promise<TestApp & { readonly intake: ReadingIntake }> {
  const ledger = new FakeLedgerClient();
  const careLedger = newCareLedger(ledger);
  const intake = new ReadingIntake({
    store: await IntakeStore.open(join(mkdtempSync(join(tmpdir(), 'intake-')), 'intake')),
    ledger: careLedger,
    logger: options.logger ?? pino({ level: 'silent' }),
    maxQueuedReadings: 1000,
    concurrency: 8,
    retentionMs: 60_000,
    retry: { initialMs: 10, maxMs: 50 },
  });
  intake.start();
  return { ...startTestApp({ ...options, ledger, careLedger, intake }), intake };
}
