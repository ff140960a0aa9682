import { execFile } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { dbKeys } from '../src/ledger/db-keys';
import { decodeStateRecord, encodeStateRecord } from '../src/ledger/state-record';
import type { VerifyReport } from '../src/ledger';
import { connectAs, removeDir, startTestDevnet, type TestDevnet } from './support/fabric-client';

const fourOrgDevnet = join(__dirname, 'fixtures', 'four-org-devnet.ts');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `four-org-devnet verify …` in a child process, as a person at a terminal runs it. */
function runVerify(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--require', 'tsx/cjs', fourOrgDevnet, 'verify', ...args],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('devnet verify', () => {
  let devnet: TestDevnet | undefined;
  let dataDir: string;

  beforeAll(async () => {
    devnet = await startTestDevnet();
    dataDir = devnet.dataDir;
    const client = await connectAs(devnet.connection, 'hospitala-nurse');
    try {
      const contract = client.gateway.getNetwork(devnet.connection.channel).getContract('basic');
      await contract.submitTransaction('put', 'kept', 'v1');
      await contract.submitTransaction('putWithEvent', 'evented', 'v', 'saved');
      await contract.submitTransaction('putOwned', 'owned', 'v', JSON.stringify(['HospitalAMSP']));
      await contract.submit('putPrivate', { arguments: ['p1'], transientData: { value: 'secret' } });
      const tx = await contract.newProposal('put', { arguments: ['dup', 'v'] }).endorse();
      await (await tx.submit()).getStatus();
      await (await tx.submit()).getStatus(); // DUPLICATE_TXID, in a later block
      await contract.submitTransaction('del', 'evented');
    } finally {
      client.close();
    }
    await devnet.stop();
    devnet = undefined;
  }, 90_000);

  afterAll(async () => {
    await devnet?.stop();
    await removeDir(dataDir);
  });

  it('exits 0 with the summary for a stopped devnet’s ledger (a relative --data-dir is the caller’s)', async () => {
    const run = await runVerify(['--data-dir', basename(dataDir)], { INIT_CWD: dirname(dataDir) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^ledger ${join(dataDir, 'ledger')}: \\d+ blocks, \\d+ transactions \\(\\d+ valid\\), \\d+ state keys, 1 private values: OK`,
      ),
    );
    expect(run.stdout).toMatch(/\(checked in \d+\.\d s\)\n$/);
  }, 30_000);

  it('exits 1 naming the key of a tampered state value, in the summary and in --json', async () => {
    const db = new ClassicLevel<Buffer, Buffer>(join(dataDir, 'ledger'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await db.open({ createIfMissing: false });
    try {
      const bytes = await db.get(dbKeys.state('basic', 'kept'));
      if (bytes === undefined) throw new Error('the devnet did not store "kept"');
      const record = decodeStateRecord(bytes);
      await db.put(
        dbKeys.state('basic', 'kept'),
        encodeStateRecord({ ...record, value: Buffer.from('tampered') }),
      );
    } finally {
      await db.close();
    }
    const run = await runVerify(['--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(': 1 problem\n');
    expect(run.stdout).toMatch(/key "basic:kept": differs from the state the blocks produce: value/);

    const json = await runVerify(['--data-dir', dataDir, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: false, problemCount: 1, problems: [{ key: 'basic:kept' }] });
  }, 30_000);

  it('exits 1 with the lock message while a devnet runs on the directory', async () => {
    devnet = await startTestDevnet({ dataDir });
    const run = await runVerify(['--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `ledger data directory ${join(dataDir, 'ledger')} is already in use by another devnet process`,
    );
    expect(run.stdout).toBe('');
    await devnet.stop();
    devnet = undefined;
  }, 60_000);

  it('exits 1 for a directory without a ledger and 2 with the usage for an unknown flag', async () => {
    const none = await runVerify(['--data-dir', join(dataDir, 'crypto')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no devnet ledger in ${join(dataDir, 'crypto')}`);

    const usage = await runVerify(['--data-dir', dataDir, '--fix']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("devnet verify: Unknown option '--fix'");
    expect(usage.stderr).toContain('Usage: four-org-devnet -- verify [--data-dir DIR] [--json]');
  }, 30_000);
});
