import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  spawnEmbeddedNetwork,
  spawnGateway,
  type EmbeddedNetworkProcess,
  type GatewayProcess,
} from '@careledger/gateway-api';

jest.setTimeout(180_000);

/*
 * Readings answered 202 are on the gateway's disk: they survive a ledger outage and kill -9 of
 * the gateway, and each is committed exactly once when both are back. Both run in processes of
 * their own, killed with SIGKILL as a crash would.
 */
let dataDir: string;
let port: number;
let devnet: EmbeddedNetworkProcess | undefined;
let gateway: GatewayProcess | undefined;
const keys: Record<string, string> = {};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
    server.once('error', reject);
  });

const startDevnet = async () => {
  devnet = await spawnEmbeddedNetwork({
    dataDir: join(dataDir, 'devnet'),
    port,
    logLevel: 'warn',
    onLog: () => undefined,
  });
};
const startGateway = async () => {
  gateway = await spawnGateway({
    connectionFile: devnet!.connectionFilePath,
    dataDir: join(dataDir, 'gateway'),
  });
};

async function api(
  as: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${gateway!.url}${path.startsWith('/api') ? path : `/api/v1${path}`}`, {
    method,
    headers: { 'x-api-key': keys[as] ?? '', 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    location: res.headers.get('location') ?? '',
    body: (await res.json()) as never,
  };
}

async function eventually<T>(check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`not within ${ms} ms`);
}

const reading = (readingId: string, value: number) => ({
  readingId,
  patientId: 'patient-1',
  type: 'heartRate',
  value,
  unit: '/min',
  observedAt: new Date().toISOString(),
});

type Status = { status: string; transactionId?: string; readings: { readingId: string }[] };

/** Posts readings with Prefer: respond-async, one request each (and one batch), answering their status URLs. */
async function sendAsync(prefix: string, count: number): Promise<string[]> {
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await api('hospitala-device', 'POST', '/vitals', reading(`${prefix}-${i}`, 60 + i), {
      prefer: 'respond-async',
    });
    expect(res.status).toBe(202);
    urls.push(res.location);
  }
  const batch = await api(
    'hospitala-device',
    'POST',
    '/vitals/batch',
    { readings: [0, 1, 2].map((i) => reading(`${prefix}-batch-${i}`, 90 + i)) },
    { prefer: 'respond-async' },
  );
  expect(batch.status).toBe(202);
  return [...urls, batch.location];
}

/** Waits until every submission is committed; answers their statuses. */
async function allCommitted(urls: readonly string[]): Promise<Status[]> {
  return Promise.all(
    urls.map((url) =>
      eventually(async () => {
        const res = await api('hospitala-device', 'GET', url);
        const status = (res.body as { data?: Status }).data;
        return status?.status === 'committed' ? status : undefined;
      }),
    ),
  );
}

/** Each reading is on the ledger, written by the transaction its submission reports. */
async function expectOnLedgerOnce(statuses: readonly Status[]): Promise<void> {
  for (const status of statuses) {
    for (const { readingId } of status.readings) {
      const stored = await api('hospitala-doctor', 'GET', `/patients/patient-1/vitals/${readingId}`);
      expect(stored.status).toBe(200);
      expect((stored.body as { data: { txId: string } }).data.txId).toBe(status.transactionId);
    }
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'intake-crash-'));
  port = await freePort();
  await startDevnet();
  await startGateway();
  for (const name of ['hospitala-nurse', 'hospitala-device', 'hospitala-doctor']) {
    keys[name] = await gateway!.createApiKey(name, 'intake crash test');
  }
  await eventually(async () =>
    (await api('hospitala-nurse', 'GET', '/organizations')).status === 200 ? true : undefined,
  );
  const demographics = { name: 'Crash Test', birthDate: '1970-01-01', sex: 'female' };
  expect(
    (await api('hospitala-nurse', 'POST', '/patients', { patientId: 'patient-1', demographics })).status,
  ).toBe(201);
  const device = { deviceId: 'hospitala-device-1', type: 'pulse-oximeter', patientId: 'patient-1' };
  expect((await api('hospitala-nurse', 'POST', '/devices', device)).status).toBe(201);
});

afterAll(async () => {
  await gateway?.kill().catch(() => undefined);
  await devnet?.kill().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

it('keeps readings accepted during a ledger outage through kill -9 of the gateway, and commits each once', async () => {
  await devnet!.kill();
  const urls = await sendAsync('outage', 10);
  const queued = await api('hospitala-device', 'GET', urls[0]!);
  expect((queued.body as { data: Status }).data.status).toBe('queued');
  await gateway!.kill();

  await startDevnet();
  await startGateway();
  const statuses = await allCommitted(urls);
  expect(statuses.flatMap((s) => s.readings)).toHaveLength(13);
  await expectOnLedgerOnce(statuses);
});

it('commits each reading once when the gateway is killed while it sends them', async () => {
  const first = await sendAsync('midflight-a', 20);
  // The network frozen (SIGSTOP) holds the intake's calls in flight, endorsed or submitted.
  process.kill(devnet!.pid, 'SIGSTOP');
  let frozen = true;
  try {
    const second = await sendAsync('midflight-b', 20);
    const last = await api('hospitala-device', 'GET', second[second.length - 1]!);
    expect((last.body as { data: Status }).data.status).toBe('queued');
    await gateway!.kill();
    process.kill(devnet!.pid, 'SIGCONT');
    frozen = false;
    await startGateway();
    const statuses = await allCommitted([...first, ...second]);
    expect(statuses.flatMap((s) => s.readings)).toHaveLength(46);
    await expectOnLedgerOnce(statuses);
  } finally {
    if (frozen) process.kill(devnet!.pid, 'SIGCONT');
  }
});
