import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDevnet, type DevnetProcess } from '../src/spawn-devnet';
import { connectAs, gatewayChaincodeDir, utf8, type ConnectedClient } from './support/fabric-client';

jest.setTimeout(120_000);

/* A network of another shape from a configuration file: three organisations with MSP ids of their
 * own, another channel, two chaincodes each with its own policy. */
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
    { name: 'samples', path: gatewayChaincodeDir, policy: 'ANY' },
    { name: 'billing', path: gatewayChaincodeDir, version: '2.0', policy: "OR('ClinicMSP.peer')" },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devnet-network-config-'));
  await writeFile(join(dir, 'network.json'), JSON.stringify(network));
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

it('refuses, at start and saying so, explicit collections it does not implement yet', async () => {
  await writeFile(
    join(dir, 'with-collections.json'),
    JSON.stringify({
      chaincodes: [
        {
          name: 'samples',
          path: gatewayChaincodeDir,
          collections: [{ name: 'shared', policy: "OR('Org1MSP.member')" }],
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
  expect(started).toBeInstanceOf(Error);
  expect((started as Error).message).toContain('explicit private data collections are not implemented');
});
