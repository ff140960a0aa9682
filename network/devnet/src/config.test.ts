import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devnetConfigSchema, readDevnetConfig, UsageError } from './config';

describe('readDevnetConfig', () => {
  it('takes flags over environment variables over defaults', () => {
    const config = readDevnetConfig(['--port', '9051', '--policy', 'ANY'], {
      DEVNET_PORT: '8051',
      DEVNET_BATCH_SIZE: '100',
    });
    expect(config).toMatchObject({
      port: 9051,
      policy: 'ANY',
      batchSize: 100,
      batchTimeoutMs: 50,
      chaincodeName: 'careledger',
    });
  });

  it('runs CareLedger’s chaincode with policy ANY by default and any other chaincode with MAJORITY', () => {
    expect(readDevnetConfig([], {})).toMatchObject({ policy: 'ANY', chaincodeName: 'careledger' });
    expect(readDevnetConfig(['--chaincode', '/tmp/other-chaincode'], {})).toMatchObject({
      policy: 'MAJORITY',
      chaincodeDir: '/tmp/other-chaincode',
    });
    expect(readDevnetConfig(['--policy', 'ALL'], {})).toMatchObject({ policy: 'ALL' });
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
    expect(() => readDevnetConfig(argv, {})).toThrow(UsageError);
    expect(() => readDevnetConfig(argv, {})).toThrow(message);
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
