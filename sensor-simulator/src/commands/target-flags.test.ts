import { UsageError } from '@careledger/fabric-toolkit';
import type { BenchTarget, Mode } from '../target/bench-target';
import { openTarget, resolveModes } from './target-flags';

function serving(...modes: Mode[]): BenchTarget {
  return {
    description: `serves ${modes.join(',')}`,
    modes,
    provision: async () => [],
    createDriver: () => {
      throw new Error('not in this test');
    },
    close: async () => undefined,
  };
}

describe('resolveModes', () => {
  const everything = serving('rest', 'direct', 'signed');

  it('takes both as rest and direct (the comparison) and all as every mode served, in the target’s order', () => {
    expect(resolveModes('both', everything)).toEqual(['rest', 'direct']);
    expect(resolveModes('all', everything)).toEqual(['rest', 'direct', 'signed']);
    expect(resolveModes('signed', everything)).toEqual(['signed']);
    expect(resolveModes('both', serving('rest', 'signed'))).toEqual(['rest']);
    expect(resolveModes('all', serving('rest', 'signed'))).toEqual(['rest', 'signed']);
  });

  it('refuses a mode the target does not serve, saying what it needs', () => {
    expect(() => resolveModes('signed', serving('rest'))).toThrow(UsageError);
    expect(() => resolveModes('signed', serving('rest'))).toThrow(
      /--mode signed is not available .*--devices/,
    );
    expect(() => resolveModes('both', serving('signed'))).toThrow(/rest: --url; direct: --connection/);
  });
});

describe('openTarget with --provision', () => {
  const log = (): undefined => undefined;

  it('needs the running gateway and the connection file it watches, and makes its own API keys', async () => {
    await expect(openTarget({ provision: true, url: 'http://127.0.0.1:1' }, log)).rejects.toThrow(
      /--provision needs --url \(the running gateway\) and --connection/,
    );
    await expect(openTarget({ provision: true, connection: 'c.json' }, log)).rejects.toThrow(UsageError);
    await expect(
      openTarget({ provision: true, url: 'http://127.0.0.1:1', connection: 'c.json', 'api-key': ['k'] }, log),
    ).rejects.toThrow(/leave out --api-key/);
  });

  it('refuses its options without it', async () => {
    await expect(
      openTarget({ url: 'http://127.0.0.1:1', 'api-key': ['k'], 'api-key-store': 'keys.json' }, log),
    ).rejects.toThrow(/--api-key-store and --provisioner go with --provision/);
  });
});
