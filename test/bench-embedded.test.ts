import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '@careledger/sensor-simulator';

jest.setTimeout(120_000);

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
  latency: { min: number; p99: number; max: number };
  serverMemoryMB?: number;
}

describe('npm run bench against the embedded network (started for the run)', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'careledger-bench-e2e-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('commits every reading through REST and directly, one identity per device, and writes the results', async () => {
    const stdout = capture();
    const stderr = capture();
    const argv = ['bench', '--users', '1,3', '--duration', '2', '--warmup', '1', '--rate', '2'];
    const status = await runCli([...argv, '--out', out, '--no-progress'], {
      stdout,
      stderr,
      signal: new AbortController().signal,
    });
    expect(stderr.text()).not.toContain('failed:');
    expect(status).toBe(0);
    expect(stdout.text()).toContain('REST gateway cost');

    const files = await readdir(out);
    expect(files.map((f) => f.slice(f.lastIndexOf('.'))).sort()).toEqual(['.csv', '.json', '.svg', '.txt']);
    const report = JSON.parse(
      await readFile(
        join(
          out,
          files.find((f) => f.endsWith('.json'))!,
        ),
        'utf8',
      ),
    ) as {
      rounds: Round[];
      comparison: { users: number; meanRatio: number }[];
      settings: { target: string };
    };
    expect(report.settings.target).toContain('embedded');
    expect(report.rounds.map((r) => `${r.mode}-${r.users}`)).toEqual([
      'rest-1',
      'direct-1',
      'rest-3',
      'direct-3',
    ]);
    for (const round of report.rounds) {
      // 2 s at 2 readings/s per user, all committed: no rejections by the chaincode's schema or ACL
      expect(round.sent).toBe(4 * round.users);
      expect({ round: `${round.mode}-${round.users}`, failed: round.failed }).toEqual({
        round: `${round.mode}-${round.users}`,
        failed: 0,
      });
      expect(round.succeeded).toBe(round.sent);
      expect(round.latency.min).toBeGreaterThan(0);
      expect(round.latency.p99).toBeLessThanOrEqual(round.latency.max);
      // The network and the gateway run in processes of their own, whose memory is sampled.
      if (process.platform === 'linux') expect(round.serverMemoryMB).toBeGreaterThan(50);
    }
    expect(report.comparison.map((c) => c.users)).toEqual([1, 3]);
    expect(report.comparison.every((c) => c.meanRatio > 0)).toBe(true);
  });
});
