import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureStream } from '../testing/capture-stream';
import { startFakeGateway } from '../testing/fake-gateway';
import { runCli } from './run-cli';

function io(signal = new AbortController().signal) {
  return { stdout: captureStream(), stderr: captureStream(), signal };
}

describe('runCli', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists commands on --help and exits 2 without or with an unknown command', async () => {
    const help = io();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout.text()).toContain('bench');
    expect(help.stdout.text()).toContain('simulate');
    expect(await runCli([], io())).toBe(2);
    const unknown = io();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderr.text()).toContain("unknown command 'frobnicate'");
  });

  it.each([
    [['bench', '--users', '1,x']],
    [['bench', '--no-such-flag']],
    [['bench', '--mode', 'grpc']],
    [['bench', '--url', 'http://127.0.0.1:1']],
    [['bench', '--url', 'not a url', '--api-key', 'k']],
    [['simulate', '--rate', '-1']],
    [['bench', 'positional']],
    [
      [
        'bench',
        '--url',
        'http://127.0.0.1:1',
        '--api-key',
        'k',
        '--server-node-arg',
        '--max-old-space-size=512',
      ],
    ],
  ])('exits 2 with the usage on a bad command line: %j', async (argv) => {
    const streams = io();
    expect(await runCli(argv, streams)).toBe(2);
    expect(streams.stderr.text()).toContain('Usage: npm run');
    expect(streams.stdout.text()).toBe('');
  });

  it('says when the warm-up is too short for every user to have sent a reading', async () => {
    const gw = await startFakeGateway(() => ({ status: 201 }));
    try {
      const streams = io();
      const argv = ['bench', '--url', gw.url, '--api-key', 'a', '--users', '2', '--rate', '2'];
      expect(
        await runCli(
          [...argv, '--duration', '0.5', '--warmup', '0.2', '--out', dir, '--no-progress'],
          streams,
        ),
      ).toBe(0);
      expect(streams.stderr.text()).toContain(
        'a 0.2 s warm-up is shorter than one reading per user (0.5 s at --rate 2)',
      );
      expect(streams.stderr.text()).toContain('--warmup 1 avoids it');
    } finally {
      await gw.close();
    }
  });

  it('prints a command’s help to stdout and exits 0', async () => {
    const streams = io();
    expect(await runCli(['bench', '--help'], streams)).toBe(0);
    expect(streams.stdout.text()).toContain('--users LIST');
  });

  it('benchmarks a gateway URL and writes the table, JSON, CSV and SVG', async () => {
    const gw = await startFakeGateway(() => ({ status: 201, delayMs: 2 }));
    try {
      const streams = io();
      const argv = ['bench', '--url', gw.url, '--api-key', 'a,b', '--users', '1,3', '--rate', '20'];
      const status = await runCli(
        [...argv, '--duration', '0.5', '--warmup', '0.2', '--out', dir, '--no-progress'],
        streams,
      );
      expect(streams.stderr.text()).not.toContain('failed:');
      expect(status).toBe(0);
      // 0.2 s of warm-up at 20 readings/s: 4 readings per user, every user warmed.
      expect(streams.stderr.text()).not.toContain('shorter than one reading per user');
      expect(streams.stdout.text()).toMatch(/\| rest-1 +\| 1 +\| 10 +\| 0 +\|/);
      expect(streams.stdout.text()).toMatch(/\| rest-3 +\| 3 +\| 30 +\| 0 +\|/);
      const keys = new Set(gw.requests.map((r) => r.headers.authorization));
      expect(keys).toEqual(new Set(['Bearer a', 'Bearer b']));
      const files = await readdir(dir);
      expect(files.map((f) => path.extname(f)).sort()).toEqual(['.csv', '.json', '.svg', '.txt']);
      const json = JSON.parse(
        await readFile(
          path.join(
            dir,
            files.find((f) => f.endsWith('.json'))!,
          ),
          'utf8',
        ),
      );
      expect(json.settings).toMatchObject({
        users: [1, 3],
        rate: 20,
        duration: 0.5,
        warmup: 0.2,
        modes: ['rest'],
      });
      expect(json.machine.cpuCount).toBeGreaterThan(0);
      expect(json.rounds).toHaveLength(2);
    } finally {
      await gw.close();
    }
  });

  it('stops on abort and still writes what it measured', async () => {
    const gw = await startFakeGateway(() => ({ status: 201 }));
    const controller = new AbortController();
    try {
      const streams = io(controller.signal);
      setTimeout(() => controller.abort(), 400);
      const argv = [
        'bench',
        '--url',
        gw.url,
        '--api-key',
        'k',
        '--users',
        '1,2',
        '--rate',
        '10',
        '--duration',
        '30',
      ];
      const status = await runCli([...argv, '--warmup', '0', '--out', dir, '--no-progress'], streams);
      expect(status).toBe(130);
      expect(streams.stdout.text()).toContain('rest-1*');
      const json = JSON.parse(
        await readFile(
          path.join(
            dir,
            (await readdir(dir)).find((f) => f.endsWith('.json'))!,
          ),
          'utf8',
        ),
      );
      expect(json.interrupted).toBe(true);
      expect(json.rounds).toHaveLength(1);
      expect(json.rounds[0].sent).toBeGreaterThan(0);
    } finally {
      await gw.close();
    }
  });

  it('simulates devices streaming to a gateway and reports what was committed', async () => {
    const gw = await startFakeGateway((req) =>
      (req.body as { type: string }).type === 'bodyTemperature'
        ? { status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } }
        : { status: 201 },
    );
    try {
      const streams = io();
      const argv = [
        'simulate',
        '--url',
        gw.url,
        '--api-key',
        'k',
        '--users',
        '5',
        '--rate',
        '10',
        '--max-requests',
        '25',
      ];
      expect(await runCli(argv, streams)).toBe(0);
      expect(gw.requests).toHaveLength(25);
      expect(new Set(gw.requests.map((r) => (r.body as { deviceId: string }).deviceId)).size).toBe(5);
      expect(streams.stdout.text()).toMatch(/\| rest-5 +\| 5 +\| 20 +\| 5 +\|/);
      expect(streams.stdout.text()).toContain('INVALID_ARGUMENT=5');
    } finally {
      await gw.close();
    }
  });
});
