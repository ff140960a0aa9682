import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestNetwork,
  levelDbContents,
  openTestLedger,
  removeDir,
  tempDataDir,
} from '../network/devnet/src/testing/ledger-test-env';

jest.setTimeout(60_000);

const repoRoot = resolve(__dirname, '..');

describe('npm start over an embedded ledger of an older CareLedger', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDataDir();
  });
  afterEach(() => removeDir(dataDir));

  it('refuses to start, says what to do, and leaves the ledger as it was', async () => {
    // A ledger made before data formats were recorded: blocks, no marker.
    const ledgerDir = join(dataDir, 'devnet', 'ledger');
    const legacy = await openTestLedger(await createTestNetwork(), ledgerDir);
    await legacy.close();
    const before = await levelDbContents(ledgerDir);
    expect(before.length).toBeGreaterThan(0);

    const run = promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', 'gateway-api/src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, CARELEDGER_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' },
    });
    const failure = await run.then(
      () => undefined,
      (err: unknown) => err as { code: number; stdout: string; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`careledger: the ledger in ${ledgerDir} holds data of format 1`);
    expect(failure?.stderr).toContain('this chaincode stores format 2');
    expect(failure?.stderr).toContain(`Remove ${ledgerDir} to start with an empty ledger`);
    expect(failure?.stdout).not.toContain('CareLedger REST API');
    expect(await levelDbContents(ledgerDir)).toEqual(before);
  });
});
