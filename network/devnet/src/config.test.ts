import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@careledger/fabric-toolkit';
import { devnetConfigSchema, readDevnetConfig } from './config';

const app = { chaincodeDir: '/srv/app-chaincode', chaincodeName: 'careledger', policy: 'ANY' };

describe('readDevnetConfig', () => {
  it('takes flags over environment variables over the application defaults', () => {
    const config = readDevnetConfig(
      ['--port', '9051', '--policy', "OR('LabMSP.peer')"],
      { DEVNET_PORT: '8051', DEVNET_BATCH_SIZE: '100' },
      app,
    );
    expect(config).toMatchObject({
      port: 9051,
      batchSize: 100,
      batchTimeoutMs: 20,
      preferredMaxBytes: 2 * 1024 * 1024,
      channel: 'healthchannel',
      chaincodes: [{ name: 'careledger', policy: "OR('LabMSP.peer')", version: '1.0' }],
    });
  });

  it('knows no chaincode of its own: one must be named, served under its directory name with MAJORITY', () => {
    expect(() => readDevnetConfig([], {})).toThrow('--chaincode DIR is required');
    expect(readDevnetConfig(['--chaincode', '/tmp/other-chaincode'], {})).toMatchObject({
      chaincodes: [{ policy: 'MAJORITY', name: 'other-chaincode', dir: '/tmp/other-chaincode' }],
    });
    expect(readDevnetConfig([], {}, app)).toMatchObject({
      chaincodes: [{ policy: 'ANY', name: 'careledger' }],
    });
    expect(readDevnetConfig(['--policy', 'ALL'], {}, app)).toMatchObject({ chaincodes: [{ policy: 'ALL' }] });
  });

  it("resolves relative paths against the caller's directory (npm's INIT_CWD), not the package's", () => {
    expect(
      readDevnetConfig(['--chaincode', 'cc', '--data-dir', 'state'], { INIT_CWD: '/home/ada/work' }),
    ).toMatchObject({
      chaincodes: [{ dir: '/home/ada/work/cc' }],
      dataDir: '/home/ada/work/state',
    });
    expect(readDevnetConfig(['--chaincode', '/abs/cc'], { INIT_CWD: '/home/ada/work' })).toMatchObject({
      chaincodes: [{ dir: '/abs/cc' }],
    });
  });

  it('answers help for -h', () => {
    expect(readDevnetConfig(['-h'], {})).toBe('help');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'abc'], /port/],
    [['--port', '70000'], /port/],
    [['--chaincode-name', 'bad name'], /chaincodeName/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => readDevnetConfig(argv, {}, app)).toThrow(UsageError);
    expect(() => readDevnetConfig(argv, {}, app)).toThrow(message);
  });

  it('documents every setting in the README', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const field of Object.values(devnetConfigSchema.shape)) {
      const flag = /^(--[a-z-]+)/.exec(field.description ?? '')?.[1];
      expect(flag).toBeDefined();
      expect(readme).toContain(`\`${flag}\``);
    }
  });
});
