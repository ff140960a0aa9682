import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@careledger/fabric-toolkit';
import { readDevnetConfig } from '../config';
import { loadNetworkConfig } from './network-config';

const dir = mkdtempSync(join(tmpdir(), 'network-config-'));
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const labNetwork = {
  channel: 'labchannel',
  organisations: [
    { mspId: 'ClinicMSP', type: 'clinic', users: [{ name: 'ada', role: 'client', attrs: { ward: '3' } }] },
    { mspId: 'LabOneMSP' },
    { mspId: 'LabTwoMSP' },
  ],
  chaincodes: [
    { name: 'samples', path: 'chaincodes/samples', policy: 'ANY', collections: 'samples-collections.json' },
    { name: 'billing', path: '/srv/billing', version: '2.1' },
  ],
  batch: { maxMessageCount: 10, batchTimeoutMs: 200 },
};
const collections = [
  {
    name: 'labResults',
    policy: "OR('ClinicMSP.member', 'LabOneMSP.member')",
    requiredPeerCount: 0,
    maxPeerCount: 1,
    blockToLive: 100,
    memberOnlyRead: true,
    memberOnlyWrite: true,
    endorsementPolicy: { signaturePolicy: "OR('LabOneMSP.member')" },
  },
];

describe('a network configuration file', () => {
  it('names organisations, channel, chaincodes and collections, its paths relative to itself', () => {
    write('samples-collections.json', collections);
    const config = loadNetworkConfig(write('network.json', labNetwork));
    expect(config.channel).toBe('labchannel');
    expect(config.organisations?.map((o) => [o.mspId, o.type])).toEqual([
      ['ClinicMSP', 'clinic'],
      ['LabOneMSP', 'member'],
      ['LabTwoMSP', 'member'],
    ]);
    expect(config.chaincodes).toEqual([
      {
        name: 'samples',
        dir: join(dir, 'chaincodes/samples'),
        version: '1.0',
        policy: 'ANY',
        collections: [
          expect.objectContaining({ name: 'labResults', blockToLive: 100, memberOnlyRead: true }),
        ],
      },
      { name: 'billing', dir: '/srv/billing', version: '2.1', policy: 'MAJORITY' },
    ]);
  });

  it('may be YAML', () => {
    const config = loadNetworkConfig(
      write('network.yaml', 'channel: yamlchannel\nchaincodes:\n  - name: basic\n    path: ./basic\n'),
    );
    expect(config).toMatchObject({
      channel: 'yamlchannel',
      chaincodes: [{ name: 'basic', dir: join(dir, 'basic') }],
    });
  });

  it.each([
    [{ channel: 'Lab_Channel' }, /network-bad\.json: channel: lower case letters/],
    [{ organisations: [{ mspId: 'A' }, { mspId: 'A' }] }, /organisations\.1\.mspId: A is listed twice/],
    [
      {
        chaincodes: [
          { name: 'x', path: 'x' },
          { name: 'x', path: 'y' },
        ],
      },
      /chaincodes\.1\.name: chaincode x is listed twice/,
    ],
    [
      { chaincodes: [{ name: 'x', path: 'x', collections: [{ name: 'c', policy: 'p', blockToLive: -1 }] }] },
      /chaincodes\.0\.collections/,
    ],
    [{ batch: { maxMessageCount: 0 } }, /batch\.maxMessageCount/],
    [{ peers: 3 }, /Unrecognized key/],
  ])('refuses %j, naming the file and the field', (content, message) => {
    const path = write('network-bad.json', content);
    expect(() => loadNetworkConfig(path)).toThrow(UsageError);
    expect(() => loadNetworkConfig(path)).toThrow(message);
  });

  it('says which file cannot be read or parsed', () => {
    expect(() => loadNetworkConfig(join(dir, 'missing.json'))).toThrow(/cannot read .*missing\.json/);
    expect(() => loadNetworkConfig(write('broken.json', '{ nope'))).toThrow(/broken\.json is not valid JSON/);
    const badCollections = write('bad-collections.json', [{ name: 'c' }]);
    expect(() =>
      loadNetworkConfig(
        write('uses-bad.json', { chaincodes: [{ name: 'x', path: 'x', collections: badCollections }] }),
      ),
    ).toThrow(/bad-collections\.json: 0\.policy/);
  });
});

describe('readDevnetConfig with --config', () => {
  it('takes the file, with flags and environment over it', () => {
    write('samples-collections.json', collections);
    const file = write('network.json', labNetwork);
    const config = readDevnetConfig(['--config', file, '--batch-timeout-ms', '50'], {
      DEVNET_CHANNEL: 'other',
    });
    expect(config).toMatchObject({
      channel: 'other',
      batchSize: 10,
      batchTimeoutMs: 50,
      organisations: [
        { mspId: 'ClinicMSP', type: 'clinic', users: [{ name: 'ada' }] },
        { mspId: 'LabOneMSP' },
        { mspId: 'LabTwoMSP' },
      ],
      chaincodes: [{ name: 'samples' }, { name: 'billing' }],
    });
  });

  it('refuses chaincode flags when the file names chaincodes, and resolves the file against the caller', () => {
    write('network.json', labNetwork);
    expect(() =>
      readDevnetConfig(['--config', 'network.json', '--policy', 'ALL'], { INIT_CWD: dir }),
    ).toThrow('--policy conflicts with the chaincodes of network.json: change them there');
    expect(readDevnetConfig(['--config', 'network.json'], { INIT_CWD: dir })).toMatchObject({
      channel: 'labchannel',
    });
  });

  it('lets a file without chaincodes take them from the flags', () => {
    const file = write('orgs-only.json', { organisations: [{ mspId: 'SoloMSP' }] });
    expect(readDevnetConfig(['--config', file, '--chaincode', '/srv/cc'], {})).toMatchObject({
      organisations: [{ mspId: 'SoloMSP' }],
      chaincodes: [{ name: 'cc', dir: '/srv/cc' }],
    });
    expect(() => readDevnetConfig(['--config', file], {})).toThrow('--chaincode DIR is required');
  });
});
