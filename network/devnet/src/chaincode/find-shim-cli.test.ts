import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findShimCli } from './chaincode-process';

describe('findShimCli', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shim-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds fabric-shim's CLI in the chaincode directory or above it, as Node resolves packages", () => {
    const cli = join(dir, 'node_modules', 'fabric-shim', 'cli.js');
    mkdirSync(join(dir, 'node_modules', 'fabric-shim'), { recursive: true });
    writeFileSync(cli, '');
    mkdirSync(join(dir, 'packages', 'cc'), { recursive: true });
    expect(findShimCli(join(dir, 'packages', 'cc'))).toBe(cli);
  });

  it('says to run npm install where the chaincode has none', () => {
    const bare = mkdtempSync(join(tmpdir(), 'bare-cc-'));
    try {
      expect(() => findShimCli(bare)).toThrow(`fabric-shim is not installed for the chaincode in ${bare}`);
      expect(() => findShimCli(bare)).toThrow(`run npm install in ${bare}`);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
