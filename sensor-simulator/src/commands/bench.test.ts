import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyReadingSignature } from '@careledger/contract';
import { runCli } from '../cli/run-cli';
import { captureStream } from '../testing/capture-stream';
import { signingDevices } from '../testing/device-keys';
import { startFakeGateway } from '../testing/fake-gateway';

function io() {
  return { stdout: captureStream(), stderr: captureStream(), signal: new AbortController().signal };
}

/** A devices file of `count` devices with their API keys and key files; the public keys. */
async function devicesFile(dir: string, count: number) {
  const { devices, publicKeys } = signingDevices(count);
  const entries = await Promise.all(
    devices.map(async (d) => {
      await writeFile(path.join(dir, `${d.deviceId}-key.pem`), d.identity!.privateKeyPem);
      await writeFile(path.join(dir, `${d.deviceId}-cert.pem`), d.identity!.certificatePem);
      return {
        deviceId: d.deviceId,
        patientId: d.patientId,
        apiKey: d.apiKey,
        mspId: d.identity!.mspId,
        certificatePath: `${d.deviceId}-cert.pem`,
        privateKeyPath: `${d.deviceId}-key.pem`,
      };
    }),
  );
  const file = path.join(dir, 'devices.json');
  await writeFile(file, JSON.stringify(entries));
  return { file, publicKeys };
}

describe('bench --mode', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bench-mode-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('all: rest then signed against a gateway URL, keys enrolled first, transactions beside readings', async () => {
    // The fake gateway batches signed readings two to a transaction, as the real one shares them.
    let signedCount = 0;
    let restCount = 0;
    const gw = await startFakeGateway((req) => {
      if (req.path === '/api/v1/vitals/signed')
        return {
          status: 201,
          body: { data: {}, meta: { transactionId: `batch-${Math.floor(signedCount++ / 2)}` } },
        };
      if (req.path === '/api/v1/vitals')
        return { status: 201, body: { data: {}, meta: { transactionId: `tx-${restCount++}` } } };
      return { status: 201 };
    });
    try {
      const { file, publicKeys } = await devicesFile(dir, 2);
      const streams = io();
      const argv = [
        'bench',
        '--url',
        gw.url,
        '--devices',
        file,
        '--mode',
        'all',
        '--users',
        '2',
        '--rate',
        '10',
      ];
      const status = await runCli(
        [...argv, '--duration', '0.5', '--warmup', '0.2', '--out', path.join(dir, 'out'), '--no-progress'],
        streams,
      );
      expect(streams.stderr.text()).not.toContain('failed:');
      expect(status).toBe(0);
      const paths = gw.requests.map((r) => r.path);
      const firstSigned = paths.indexOf('/api/v1/vitals/signed');
      const enrolments = paths.flatMap((p, i) => (p === '/api/v1/devices/signing-key' ? [i] : []));
      expect(enrolments).toHaveLength(2);
      expect(Math.max(...enrolments)).toBeLessThan(firstSigned);
      for (const r of gw.requests.filter((q) => q.path === '/api/v1/vitals/signed')) {
        const signed = r.body as { payload: string; signature: string };
        const user = Number((JSON.parse(signed.payload) as { deviceId: string }).deviceId.split('-')[1]);
        expect(r.headers.authorization).toBe(`Bearer key-${user}`);
        expect(verifyReadingSignature(signed, publicKeys[user]!)).toBe(true);
      }
      // 0.5 s at 2 × 10 readings/s: 10 readings; rest one transaction each, signed two per transaction
      expect(streams.stdout.text()).toMatch(/\| rest-2 +\| 2 +\| 10 +\| 0 +\|/);
      expect(streams.stdout.text()).toMatch(/\| signed-2 +\| 2 +\| 10 +\| 0 +\|/);
      expect(streams.stderr.text()).toMatch(
        /rest-2: 10\/10 ok, .*throughput [\d.]+ readings\/s in [\d.]+ tx\/s \(10 transactions\)/,
      );
      expect(streams.stderr.text()).toMatch(/signed-2: 10\/10 ok, .*in [\d.]+ tx\/s \(5 transactions\)/);
      const out = path.join(dir, 'out');
      const json = JSON.parse(
        await readFile(
          path.join(
            out,
            (await readdir(out)).find((f) => f.endsWith('.json'))!,
          ),
          'utf8',
        ),
      ) as {
        settings: { modes: string[] };
        rounds: {
          mode: string;
          succeeded: number;
          transactions: number;
          throughput: number;
          transactionRate: number;
        }[];
      };
      expect(json.settings.modes).toEqual(['rest', 'signed']);
      const signed = json.rounds.find((r) => r.mode === 'signed')!;
      expect(signed.transactions).toBe(5);
      expect(signed.transactionRate).toBeCloseTo(signed.throughput / 2, 6);
    } finally {
      await gw.close();
    }
  });

  it('signed is not available with shared API keys (no private keys): exit 2, saying what it needs', async () => {
    const streams = io();
    const argv = ['bench', '--url', 'http://127.0.0.1:1', '--api-key', 'k', '--mode', 'signed'];
    expect(await runCli([...argv, '--out', dir, '--no-progress'], streams)).toBe(2);
    expect(streams.stderr.text()).toContain('--mode signed is not available against http://127.0.0.1:1');
  });

  it('stops before the first round when a device cannot enrol its key', async () => {
    const gw = await startFakeGateway((req) =>
      req.path === '/api/v1/devices/signing-key'
        ? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'device dev-1 is not registered' } } }
        : { status: 201 },
    );
    try {
      const { file } = await devicesFile(dir, 2);
      const streams = io();
      const argv = ['bench', '--url', gw.url, '--devices', file, '--mode', 'signed', '--users', '2'];
      expect(await runCli([...argv, '--out', dir, '--no-progress'], streams)).toBe(1);
      expect(streams.stderr.text()).toContain('could not enrol its signing key');
      expect(streams.stderr.text()).toContain('answered 404 NOT_FOUND');
      expect(gw.requests.some((r) => r.path.startsWith('/api/v1/vitals'))).toBe(false);
    } finally {
      await gw.close();
    }
  });
});

describe('simulate --mode signed', () => {
  it('enrols the keys, then streams signed readings', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'simulate-signed-'));
    const gw = await startFakeGateway((req) =>
      req.path === '/api/v1/vitals/signed'
        ? { status: 201, body: { data: {}, meta: { transactionId: 'shared' } } }
        : { status: 201 },
    );
    try {
      const { file } = await devicesFile(dir, 3);
      const streams = io();
      const argv = ['simulate', '--url', gw.url, '--devices', file, '--mode', 'signed', '--users', '3'];
      expect(await runCli([...argv, '--rate', '10', '--max-requests', '9'], streams)).toBe(0);
      expect(gw.requests.filter((r) => r.path === '/api/v1/devices/signing-key')).toHaveLength(3);
      expect(gw.requests.filter((r) => r.path === '/api/v1/vitals/signed')).toHaveLength(9);
      expect(streams.stdout.text()).toMatch(/\| signed-3 +\| 3 +\| 9 +\| 0 +\|.*\| 1 +\|/);
    } finally {
      await gw.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
