import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Devnet } from '@careledger/devnet';
import { loadConnectionFile } from '@careledger/fabric-toolkit';
import { loadConfig, startEmbeddedNetwork, startGateway, type RunningGateway } from '@careledger/gateway-api';
import pino from 'pino';
import { exchange, openStream, type Exchange } from '../gateway-api/src/testing/http-exchange';

jest.setTimeout(120_000);

const logger = pino({ level: 'silent' });
const inFlightWrites = 50;
const agents = 5;
let dataDir: string;
let devnet: Devnet;
let gateway: RunningGateway;
const keys: Record<string, string> = {};
/** Lets held blocks commit (also run by afterAll, so that a failed test does not hang the devnet). */
let releaseCommits = (): void => undefined;

function start(): Promise<RunningGateway> {
  return loadConnectionFile(devnet.connectionFilePath).then((connection) =>
    startGateway({
      config: loadConfig({
        PORT: '0',
        CARELEDGER_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        COMMIT_TIMEOUT_MS: '30000',
        // Far longer than the drain takes: a request cut by the grace period fails the test.
        SHUTDOWN_GRACE_MS: '20000',
      }),
      connection,
      logger,
    }),
  );
}

const reading = (readingId: string) => ({
  readingId,
  patientId: 'patient-1',
  type: 'heartRate',
  value: 72,
  unit: '/min',
  observedAt: new Date(Date.now() - 1000).toISOString(),
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Blocks wait for `releaseCommits()` before they commit: writes stay waiting for their commit. */
function holdCommits(): void {
  const gate = deferred();
  releaseCommits = gate.resolve;
  const commitBlock = devnet.ledger.commitBlock.bind(devnet.ledger);
  devnet.ledger.commitBlock = async (envelopes) => {
    await gate.promise;
    return commitBlock(envelopes);
  };
}

/** Resolves once `count` Vitals:record calls have reached the gateway's ledger client. */
function countWrites(gw: RunningGateway): (count: number) => Promise<void> {
  let seen = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const call = gw.ledger.call.bind(gw.ledger);
  gw.ledger.call = (request) => {
    if (request.transaction === 'Vitals:record') seen += 1;
    for (const w of waiting.filter((x) => x.count <= seen)) w.resolve();
    return call(request);
  };
  return (count) => new Promise((resolve) => (seen >= count ? resolve() : waiting.push({ count, resolve })));
}

/** A keep-alive agent with `sockets` idle connections to the gateway. */
async function warmAgent(sockets: number): Promise<Agent> {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  await Promise.all(Array.from({ length: sockets }, () => exchange(`${gateway.url}/healthz`, { agent })));
  expect(Object.values(agent.freeSockets).flat()).toHaveLength(sockets);
  return agent;
}

type Outcome = { readingId: string } & ({ answer: Exchange } | { error: string });

async function record(agent: Agent, readingId: string): Promise<Outcome> {
  try {
    const answer = await exchange(`${gateway.url}/api/v1/vitals`, {
      agent,
      method: 'POST',
      headers: { 'x-api-key': keys['hospitala-device'] ?? '' },
      body: reading(readingId),
    });
    return { readingId, answer };
  } catch (err) {
    return { readingId, error: (err as { code?: string }).code ?? String(err) };
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'careledger-shutdown-'));
  devnet = await startEmbeddedNetwork({ dataDir, logger });
  gateway = await start();
  for (const entry of gateway.wallet.entries()) keys[entry.name] = gateway.apiKeys.create(entry.name).key;
  const agent = new Agent();
  const setup = async (path: string, body: unknown) =>
    (
      await exchange(`${gateway.url}/api/v1${path}`, {
        agent,
        method: 'POST',
        headers: { 'x-api-key': keys['hospitala-nurse'] ?? '' },
        body,
      })
    ).status;
  const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' };
  expect(await setup('/patients', { patientId: 'patient-1', demographics })).toBe(201);
  const device = { deviceId: 'hospitala-device-1', type: 'pulse-oximeter', patientId: 'patient-1' };
  expect(await setup('/devices', device)).toBe(201);
});

afterAll(async () => {
  releaseCommits();
  await gateway?.close();
  await devnet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('REST gateway shutdown against the embedded network', () => {
  it('answers every accepted write with 2xx, refuses new connections, and every 2xx reading is on the ledger', async () => {
    const writers = await Promise.all(
      Array.from({ length: agents }, () => warmAgent(inFlightWrites / agents)),
    );
    const late = await warmAgent(5);
    const probe = await warmAgent(1);
    const fresh = new Agent({ keepAlive: true });
    const events = await openStream(`${gateway.url}/api/v1/events`, {
      agent: new Agent({ keepAlive: true }),
      headers: { 'x-api-key': keys['hospitala-doctor'] ?? '' },
    });
    const reached = countWrites(gateway);
    holdCommits();

    // On reused keep-alive connections, all accepted and waiting for their commit.
    const inFlight = Array.from({ length: inFlightWrites }, (_, i) =>
      record(writers[i % agents] as Agent, `in-flight-${i}`),
    );
    await reached(inFlightWrites);

    const closing = gateway.close();
    // Sent the moment the drain begins: on idle keep-alive connections (answered, with close)
    // and on new connections (refused before anything is sent).
    const onIdle = Array.from({ length: 5 }, (_, i) => record(late, `late-${i}`));
    const refused = await Promise.all(Array.from({ length: 5 }, (_, i) => record(fresh, `refused-${i}`)));
    const ready = await exchange(`${gateway.url}/readyz`, { agent: probe });
    // Each late write reaches the ledger, unless it failed (then the checks below say how).
    const failed = Promise.race(onIdle.map((o) => o.then((x) => ('error' in x ? x : new Promise(() => {})))));
    await Promise.race([reached(inFlightWrites + onIdle.length), failed]);
    await events.ended;

    releaseCommits();
    const answered = await Promise.all([...inFlight, ...onIdle]);
    expect(await closing).toEqual({ clean: true, cutConnections: 0 });

    expect(refused.map((o) => ('error' in o ? o.error : o.answer.status))).toEqual(
      refused.map(() => 'ECONNREFUSED'),
    );
    const readyBody = JSON.parse(ready.body) as { error?: { code: string } };
    expect([ready.status, readyBody.error?.code, ready.headers.connection]).toEqual([
      503,
      'SHUTTING_DOWN',
      'close',
    ]);
    const summary = (o: Outcome) =>
      'error' in o ? o.error : `${o.answer.status} connection: ${o.answer.headers.connection ?? '-'}`;
    expect(answered.map(summary)).toEqual(answered.map(() => '201 connection: close'));

    // A new gateway over the same ledger finds every answered reading, and none of the refused.
    gateway = await start();
    const find = (readingId: string) =>
      exchange(`${gateway.url}/api/v1/patients/patient-1/vitals/${readingId}`, {
        agent: new Agent(),
        headers: { 'x-api-key': keys['hospitala-doctor'] ?? '' },
      });
    const found = await Promise.all(answered.map((o) => find(o.readingId)));
    expect(found.map((f) => f.status)).toEqual(answered.map(() => 200));
    const foundIds = found.map((f) => (JSON.parse(f.body) as { data: { readingId: string } }).data.readingId);
    expect(foundIds).toEqual(answered.map((o) => o.readingId));
    const missing = await Promise.all(refused.map((o) => find(o.readingId)));
    expect(missing.map((f) => f.status)).toEqual(refused.map(() => 404));
  });
});
