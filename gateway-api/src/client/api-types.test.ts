import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'gateway-api', 'src', 'cli', 'generate-client.ts');
// Not imported from generate-api-types.ts: that loads openapi-typescript, which jest cannot.
const apiTypesFile = join('gateway-api', 'src', 'client', 'api-types.ts');

function check(file: string): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', cli, '--check', '--file', file], {
    cwd: root,
  }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );
}

describe('the typed client', () => {
  jest.setTimeout(60_000);

  it('is generated from the document the gateway serves (run npm run generate:client after a change)', async () => {
    expect(await check(join(root, apiTypesFile))).toEqual({ code: 0, stderr: '' });
  });

  it('is reported out of date when the document changed', async () => {
    const stale = join(mkdtempSync(join(tmpdir(), 'api-types-')), 'api-types.ts');
    copyFileSync(join(root, apiTypesFile), stale);
    writeFileSync(
      stale,
      readFileSync(stale, 'utf8').replace('"/api/v1/patients/{patientId}/vitals"', '"/x"'),
    );
    const answer = await check(stale);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('is out of date: run npm run generate:client');
  });
});
