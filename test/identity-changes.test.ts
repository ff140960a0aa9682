import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  writeConnectionFile,
  type ConnectionFile,
  type ConnectionIdentity,
} from '@careledger/fabric-toolkit';
import {
  spawnEmbeddedNetwork,
  spawnGateway,
  type EmbeddedNetworkProcess,
  type GatewayProcess,
} from '@careledger/gateway-api';

jest.setTimeout(90_000);

/*
 * What an administrator does to a running gateway's network: `network.sh addUser` writes the
 * connection file again with a new identity; `down` and `up` give the same names new
 * certificates. The gateway must use the first at once and refuse keys made for the old ones.
 */
let dataDir: string;
let devnet: EmbeddedNetworkProcess | undefined;
let gateway: GatewayProcess | undefined;
let connectionFile: string;

/** The network's connection file with Hospital B's identities changed by `change`. */
function withHospitalB(
  base: ConnectionFile,
  change: (identities: ConnectionIdentity[]) => ConnectionIdentity[],
): ConnectionFile {
  return {
    ...base,
    organisations: base.organisations.map((o) =>
      o.mspId === 'HospitalBMSP' ? { ...o, identities: change([...o.identities]) } : o,
    ),
  };
}

async function status(key: string): Promise<{ status: number; body: { error?: { message: string } } }> {
  const res = await fetch(`${gateway!.url}/api/v1/organizations`, { headers: { 'x-api-key': key } });
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
}

/** Polls until `check` holds (the gateway looks at its connection file every second). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    if (await check()) return true;
  }
  return check();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'identity-changes-'));
  devnet = await spawnEmbeddedNetwork({
    dataDir: join(dataDir, 'devnet'),
    port: 0,
    logLevel: 'warn',
    onLog: () => undefined,
  });
  connectionFile = join(dataDir, 'gateway-connection.json');
  await writeConnectionFile(connectionFile, devnet.connection);
  gateway = await spawnGateway({ connectionFile, dataDir: join(dataDir, 'gateway') });
});

afterAll(async () => {
  await gateway?.stop();
  await devnet?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('uses an identity added to the connection file while it runs, without a restart', async () => {
  const [locum] = await devnet!.enrollIdentities('HospitalBMSP', [{ name: 'locum', role: 'doctor' }]);
  await writeConnectionFile(
    connectionFile,
    withHospitalB(devnet!.connection, (ids) => [...ids, locum!]),
  );
  const key = await gateway!.createApiKey('hospitalb-locum', 'added while running');
  expect(await eventually(async () => (await status(key)).status === 200)).toBe(true);
});

it('refuses, saying why, a key made for a certificate the identity no longer has', async () => {
  const key = await gateway!.createApiKey('hospitalb-doctor', 'before the network was made anew');
  expect(await eventually(async () => (await status(key)).status === 200)).toBe(true);
  // The same name with another certificate, as after `network.sh down` and `up`.
  const [renewed] = await devnet!.enrollIdentities('HospitalBMSP', [
    { name: 'doctor-renewed', role: 'doctor' },
  ]);
  await writeConnectionFile(
    connectionFile,
    withHospitalB(devnet!.connection, (ids) =>
      ids.map((i) => (i.name === 'hospitalb-doctor' ? { ...renewed!, name: 'hospitalb-doctor' } : i)),
    ),
  );
  expect(await eventually(async () => (await status(key)).status === 401)).toBe(true);
  expect((await status(key)).body.error?.message).toBe(
    'this API key was made for another certificate of hospitalb-doctor (the network or the identity was made anew since); create a new key',
  );
  const fresh = await gateway!.createApiKey('hospitalb-doctor', 'after');
  expect(await eventually(async () => (await status(fresh)).status === 200)).toBe(true);
});
