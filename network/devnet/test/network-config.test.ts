import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDevnet, type DevnetProcess } from '../src/spawn-devnet';
import { connectAs, gatewayChaincodeDir, utf8, type ConnectedClient } from './support/fabric-client';

jest.setTimeout(120_000);

/* A network of another shape from a configuration file: three organisations with MSP ids of their
 * own, another channel, two chaincodes each with its own policy, one with explicit collections
 * from a collection-config file (test/explicit-collections.test.ts tests collections in depth). */
let dir: string;
let devnet: DevnetProcess | undefined;
let client: ConnectedClient | undefined;

const network = {
  channel: 'labchannel',
  organisations: [
    { mspId: 'ClinicMSP', type: 'clinic', users: [{ name: 'ada', role: 'client' }] },
    { mspId: 'LabOneMSP' },
    { mspId: 'LabTwoMSP' },
  ],
  chaincodes: [
    { name: 'samples', path: gatewayChaincodeDir, policy: 'ANY', collections: './samples-collections.json' },
    { name: 'billing', path: gatewayChaincodeDir, version: '2.0', policy: "OR('ClinicMSP.peer')" },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devnet-network-config-'));
  await writeFile(join(dir, 'network.json'), JSON.stringify(network));
  await writeFile(
    join(dir, 'samples-collections.json'),
    JSON.stringify([
      { name: 'labResults', policy: "OR('ClinicMSP.member', 'LabOneMSP.member')", memberOnlyRead: true },
    ]),
  );
  devnet = await spawnDevnet({
    dataDir: join(dir, 'data'),
    configFile: join(dir, 'network.json'),
    port: 0,
    logLevel: 'warn',
    onLog: () => undefined,
  });
  client = await connectAs(devnet.connection, 'clinic-ada');
});

afterAll(async () => {
  client?.close();
  await devnet?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('writes the connection file of the configured organisations, channel and first chaincode', () => {
  const c = devnet!.connection;
  expect(c.channel).toBe('labchannel');
  expect(c.chaincode).toBe('samples');
  expect(c.organisations.map((o) => [o.mspId, o.type])).toEqual([
    ['ClinicMSP', 'clinic'],
    ['LabOneMSP', 'member'],
    ['LabTwoMSP', 'member'],
  ]);
  expect(c.organisations[0]?.identities.map((i) => i.name)).toContain('clinic-ada');
});

it('serves each chaincode under its own name, with its own state', async () => {
  const net = client!.gateway.getNetwork('labchannel');
  await net.getContract('samples').submitTransaction('put', 'k', 'from samples');
  await net.getContract('billing').submitTransaction('put', 'k', 'from billing');
  expect(utf8(await net.getContract('samples').evaluateTransaction('get', 'k'))).toBe('from samples');
  expect(utf8(await net.getContract('billing').evaluateTransaction('get', 'k'))).toBe('from billing');
  const unknown = await net
    .getContract('nosuch')
    .evaluateTransaction('get', 'k')
    .catch((e: unknown) => e as { details?: { message: string }[] });
  expect(JSON.stringify(unknown)).toContain(
    'no peers available to evaluate chaincode nosuch in channel labchannel',
  );
  const otherChannel = await client!.gateway
    .getNetwork('healthchannel')
    .getContract('samples')
    .evaluateTransaction('get', 'k')
    .catch((e: unknown) => e);
  expect(otherChannel).toBeInstanceOf(Error);
});

it('serves the collections of the collection-config file it names', async () => {
  const samples = client!.gateway.getNetwork('labchannel').getContract('samples');
  await samples.submit('putIn', {
    arguments: ['labResults', 'r1'],
    transientData: { value: Buffer.from('ok') },
  });
  expect(utf8(await samples.evaluateTransaction('getFrom', 'labResults', 'r1'))).toBe('ok');
  expect(utf8(await samples.evaluateTransaction('hashFrom', 'labResults', 'r1'))).toHaveLength(64);
  // The other chaincode does not have the collection.
  const billing = await client!.gateway
    .getNetwork('labchannel')
    .getContract('billing')
    .evaluateTransaction('getFrom', 'labResults', 'r1')
    .catch((e: unknown) => e as { details?: { message: string }[] });
  expect(JSON.stringify(billing)).toContain('collection labchannel/billing/labResults could not be found');
});

it("refuses at start, with Fabric's text, a collection naming a member not on the channel", async () => {
  await writeFile(
    join(dir, 'with-collections.json'),
    JSON.stringify({
      chaincodes: [
        {
          name: 'samples',
          path: gatewayChaincodeDir,
          collections: [{ name: 'shared', policy: "OR('Org1MSP.member', 'Org3MSP.member')" }],
        },
      ],
    }),
  );
  const lines: string[] = [];
  const started = await spawnDevnet({
    dataDir: join(dir, 'collections-data'),
    configFile: join(dir, 'with-collections.json'),
    port: 0,
    logLevel: 'warn',
    onLog: (line) => lines.push(line),
    startTimeoutMs: 60_000,
  }).catch((e: unknown) => e as Error);
  if (!(started instanceof Error)) await started.stop();
  expect(started).toBeInstanceOf(Error);
  // The file names no organisations: the emulator's own, Org1MSP and Org2MSP.
  expect((started as Error).message).toContain(
    "chaincode samples: collection-name: shared -- collection member 'Org3MSP' is not part of the channel",
  );
});
