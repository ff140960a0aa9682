import { spawnDevnet, type DevnetProcess } from '../src/spawn-devnet';
import {
  connectAs,
  gatewayChaincodeDir,
  removeDir,
  utf8,
  type ConnectedClient,
} from './support/fabric-client';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(90_000);

/* Fabric's peer.limits.concurrency.gatewayService: past the limit a call is refused at once. */
let dir: string | undefined;
let devnet: DevnetProcess | undefined;
let client: ConnectedClient | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devnet-concurrency-'));
  devnet = await spawnDevnet({
    dataDir: dir,
    port: 0,
    chaincodeDir: gatewayChaincodeDir,
    chaincodeName: 'basic',
    policy: 'ANY',
    gatewayConcurrency: 1,
    logLevel: 'fatal',
    onLog: () => undefined,
  });
  client = await connectAs(devnet.connection, devnet.connection.organisations[0]!.identities[0]!.name);
});

afterAll(async () => {
  client?.close();
  await devnet?.stop();
  await removeDir(dir);
});

it("refuses a Gateway call past the limit with Fabric's text, and takes calls again once there is room", async () => {
  const network = client!.gateway.getNetwork(devnet!.connection.channel);
  const contract = network.getContract('basic');
  await contract.submitTransaction('put', 'k', 'v');
  // An open chaincode event stream holds the one place, as in Fabric (a stream's interceptor holds it).
  const events = await network.getChaincodeEvents('basic');
  const iterator = events[Symbol.asyncIterator]();
  const waiting = iterator.next();
  await new Promise((r) => setTimeout(r, 300));
  const refused = await contract
    .evaluateTransaction('get', 'k')
    .catch((e: unknown) => e as Error & { code?: number });
  expect(refused).toBeInstanceOf(Error);
  expect((refused as { code?: number }).code).toBe(2); // UNKNOWN
  expect((refused as Error).message).toContain(
    'too many requests for /gateway.Gateway, exceeding concurrency limit (1)',
  );
  events.close();
  await waiting.catch(() => undefined);
  let answer = '';
  for (let i = 0; i < 20 && answer === ''; i++) {
    answer = await contract
      .evaluateTransaction('get', 'k')
      .then(utf8)
      .catch(() => new Promise<string>((r) => setTimeout(() => r(''), 100)));
  }
  expect(answer).toBe('v');
});
