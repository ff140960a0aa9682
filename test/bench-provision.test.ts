import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConnectionFile, writeConnectionFile } from '@careledger/fabric-toolkit';
import {
  spawnEmbeddedNetwork,
  spawnGateway,
  type EmbeddedNetworkProcess,
  type GatewayProcess,
} from '@careledger/gateway-api';
import { runCli } from '@careledger/sensor-simulator';

jest.setTimeout(180_000);

function capture(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return Object.assign(stream as unknown as NodeJS.WriteStream, { text: () => text, isTTY: false });
}

interface Round {
  mode: string;
  users: number;
  sent: number;
  succeeded: number;
  failed: number;
}

/*
 * `bench --url --connection --provision` against a network and a gateway it did not start, as on
 * a network.sh network: the embedded network stands in for it (the same crypto layout, the same
 * connection file), and the gateway runs on its own with that file and its own key store, never
 * restarted: the identities, keys and bindings the benchmark makes must reach it while it runs.
 */
describe('npm run bench -- --provision against a running network and gateway', () => {
  let dir: string;
  let devnet: EmbeddedNetworkProcess | undefined;
  let gateway: GatewayProcess | undefined;
  let connectionFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-provision-'));
    devnet = await spawnEmbeddedNetwork({ dataDir: join(dir, 'devnet'), port: 0, logLevel: 'warn' });
    connectionFile = join(dir, 'connection.json');
    await writeConnectionFile(connectionFile, devnet.connection);
    gateway = await spawnGateway({ connectionFile, dataDir: join(dir, 'gateway') });
  });
  afterAll(async () => {
    await gateway?.stop();
    await devnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function bench(
    users: string,
    mode: string,
  ): Promise<{ status: number; log: string; rounds: Round[] }> {
    const out = await mkdtemp(join(dir, 'results-'));
    const stdout = capture();
    const stderr = capture();
    const status = await runCli(
      [
        ...['bench', '--url', gateway!.url, '--connection', connectionFile, '--provision'],
        ...['--api-key-store', join(dir, 'gateway', 'api-keys.json'), '--mode', mode],
        ...[
          '--users',
          users,
          '--duration',
          '2',
          '--warmup',
          '1',
          '--rate',
          '2',
          '--out',
          out,
          '--no-progress',
        ],
      ],
      { stdout, stderr, signal: new AbortController().signal },
    );
    const json = (await readdir(out)).find((f) => f.endsWith('.json'));
    const rounds = json
      ? (JSON.parse(await readFile(join(out, json), 'utf8')) as { rounds: Round[] }).rounds
      : [];
    return { status, log: stderr.text(), rounds };
  }

  it('makes every device (identity, key, patient, binding, signing key) and commits every reading in each mode', async () => {
    const { status, log, rounds } = await bench('1,3', 'all');
    expect(log).not.toContain('failed:');
    expect(status).toBe(0);
    expect(log).toContain(
      "issuing 3 device identities of HospitalAMSP (0…2) with the project's certificate tooling",
    );
    expect(rounds.map((r) => `${r.mode}-${r.users}`)).toEqual([
      'rest-1',
      'direct-1',
      'signed-1',
      'rest-3',
      'direct-3',
      'signed-3',
    ]);
    for (const r of rounds)
      expect({ round: `${r.mode}-${r.users}`, failed: r.failed, ok: r.succeeded }).toEqual({
        round: `${r.mode}-${r.users}`,
        failed: 0,
        ok: r.sent,
      });
    const hospitalA = (await loadConnectionFile(connectionFile)).organisations.find(
      (o) => o.mspId === 'HospitalAMSP',
    );
    expect(
      hospitalA?.identities.filter((i) => i.role === 'device' && i.name.startsWith('hospitala-sim-device-')),
    ).toHaveLength(3);
    const devices = JSON.parse(await readFile(join(dir, 'bench-devices.json'), 'utf8')) as {
      deviceId: string;
    }[];
    expect(devices.map((d) => d.deviceId)).toEqual(['sim-device-0', 'sim-device-1', 'sim-device-2']);
  });

  it('reuses the devices file on a later run and makes only the devices missing from it', async () => {
    const { status, log, rounds } = await bench('5', 'signed');
    expect(status).toBe(0);
    expect(log).toContain('issuing 2 device identities of HospitalAMSP (3…4)');
    expect(rounds.map((r) => [r.mode, r.users, r.failed, r.succeeded === r.sent])).toEqual([
      ['signed', 5, 0, true],
    ]);
    const again = await bench('2', 'rest');
    expect(again.status).toBe(0);
    expect(again.log).not.toContain('issuing');
  });
});
