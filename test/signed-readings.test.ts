import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signReading, type DeviceReading } from '@careledger/contract';
import { writeConnectionFile, type ConnectionIdentity } from '@careledger/fabric-toolkit';
import {
  spawnEmbeddedNetwork,
  spawnGateway,
  type EmbeddedNetworkProcess,
  type GatewayProcess,
} from '@careledger/gateway-api';

jest.setTimeout(120_000);

/*
 * Bedside devices sign their readings; the gateway puts many devices' readings in one
 * transaction, and the chaincode checks each device's signature, so the gateway cannot forge,
 * alter or misattribute one. Network and gateway run in processes of their own.
 */
let dataDir: string;
let devnet: EmbeddedNetworkProcess | undefined;
let gateway: GatewayProcess | undefined;
const keys: Record<string, string> = {};
const signingKeys: Record<string, KeyObject> = {};
const devices = ['ward-monitor-1', 'ward-monitor-2', 'ward-monitor-3'];

async function api(as: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${gateway!.url}/api/v1${path}`, {
    method,
    headers: {
      'x-api-key': keys[as] ?? '',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: Record<string, unknown>;
      meta?: { transactionId?: string };
      error?: { code: string; message: string };
    },
  };
}

const reading = (readingId: string, deviceId: string, value: number): DeviceReading => ({
  readingId,
  patientId: 'patient-1',
  deviceId,
  type: 'heartRate',
  value,
  unit: '/min',
  observedAt: new Date().toISOString(),
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'signed-readings-'));
  devnet = await spawnEmbeddedNetwork({
    dataDir: join(dataDir, 'devnet'),
    port: 0,
    logLevel: 'warn',
    onLog: () => undefined,
  });
  const enrolled: ConnectionIdentity[] = await devnet.enrollIdentities(
    'HospitalAMSP',
    devices.map((deviceId) => ({ name: deviceId, role: 'device', attrs: { deviceId } })),
  );
  const connectionFile = join(dataDir, 'gateway-connection.json');
  await writeConnectionFile(connectionFile, {
    ...devnet.connection,
    organisations: devnet.connection.organisations.map((o) =>
      o.mspId === 'HospitalAMSP' ? { ...o, identities: [...o.identities, ...enrolled] } : o,
    ),
  });
  gateway = await spawnGateway({ connectionFile, dataDir: join(dataDir, 'gateway') });
  for (const id of enrolled)
    signingKeys[id.name.replace(/^hospitala-/, '')] = createPrivateKey(readFileSync(id.keyPath));
  for (const name of ['hospitala-nurse', 'hospitala-doctor', ...enrolled.map((e) => e.name)]) {
    keys[name.replace(/^hospitala-(ward)/, '$1')] = await gateway.createApiKey(name, 'signed readings test');
  }
  for (let i = 0; i < 50 && (await api('hospitala-nurse', 'GET', '/organizations')).status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const demographics = { name: 'Signed Test', birthDate: '1970-01-01', sex: 'male' };
  expect(
    (await api('hospitala-nurse', 'POST', '/patients', { patientId: 'patient-1', demographics })).status,
  ).toBe(201);
  for (const deviceId of devices) {
    expect(
      (
        await api('hospitala-nurse', 'POST', '/devices', {
          deviceId,
          type: 'monitor',
          patientId: 'patient-1',
        })
      ).status,
    ).toBe(201);
  }
});

afterAll(async () => {
  await gateway?.stop();
  await devnet?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('enrols each device key once; a second enrolment is a 200 replay', async () => {
  for (const deviceId of devices) {
    expect((await api(deviceId, 'POST', '/devices/signing-key')).status).toBe(201);
  }
  expect((await api(devices[0]!, 'POST', '/devices/signing-key')).status).toBe(200);
  const nurse = await api('hospitala-nurse', 'POST', '/devices/signing-key');
  expect(nurse.status).toBe(403);
});

it("commits many devices' concurrent readings in shared transactions, each attributed to its device", async () => {
  const sent = devices.flatMap((deviceId, d) =>
    Array.from({ length: 20 }, (_, i) => ({
      deviceId,
      signed: signReading(reading(`${deviceId}-r${i}`, deviceId, 60 + d + i), signingKeys[deviceId]!),
    })),
  );
  const answers = await Promise.all(
    sent.map(({ deviceId, signed }) => api(deviceId, 'POST', '/vitals/signed', signed)),
  );
  expect(answers.map((a) => a.status)).toEqual(sent.map(() => 201));
  const transactions = new Set(answers.map((a) => a.body.meta?.transactionId));
  expect(transactions.size).toBeLessThan(sent.length);
  const stored = await api('hospitala-doctor', 'GET', `/patients/patient-1/vitals/${devices[2]}-r7`);
  expect(stored.body.data).toMatchObject({ deviceId: devices[2], value: 69, recordedBy: { role: 'device' } });
  // A resend of a committed reading is a replay: 200, no transaction of its own.
  const again = await api(devices[0]!, 'POST', '/vitals/signed', sent[0]!.signed);
  expect(again.status).toBe(200);
  expect(again.body.meta).toBeUndefined();
});

it('refuses a forged or altered reading alone, with the reason, while the others commit', async () => {
  const forger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const good = signReading(reading('ok-1', devices[0]!, 70), signingKeys[devices[0]!]!);
  const genuine = signReading(reading('alt-1', devices[1]!, 70), signingKeys[devices[1]!]!);
  const [ok, forged, altered] = await Promise.all([
    api(devices[0]!, 'POST', '/vitals/signed', good),
    api(devices[1]!, 'POST', '/vitals/signed', signReading(reading('forged-1', devices[1]!, 70), forger)),
    api(devices[1]!, 'POST', '/vitals/signed', {
      ...genuine,
      payload: genuine.payload.replace('"value":70', '"value":40'),
    }),
  ]);
  expect(ok?.status).toBe(201);
  expect(forged?.status).toBe(403);
  expect(forged?.body.error).toEqual({
    code: 'ACCESS_DENIED',
    message: `body.signature: does not verify with the key device ${devices[1]} enrolled`,
  });
  expect(altered?.status).toBe(403);
  expect((await api('hospitala-doctor', 'GET', '/patients/patient-1/vitals/alt-1')).status).toBe(404);
  const implausible = await api(
    devices[0]!,
    'POST',
    '/vitals/signed',
    signReading(reading('bad-1', devices[0]!, 900), signingKeys[devices[0]!]!),
  );
  expect(implausible.status).toBe(400);
  expect(implausible.body.error?.message).toContain(
    'body.payload.value: 900 /min is outside the plausible range',
  );
});

it('takes a signed reading asynchronously through the durable intake and commits it as by its device', async () => {
  const signed = signReading(reading('async-signed-1', devices[2]!, 66), signingKeys[devices[2]!]!);
  const res = await fetch(`${gateway!.url}/api/v1/vitals/signed`, {
    method: 'POST',
    headers: {
      'x-api-key': keys[devices[2]!] ?? '',
      'content-type': 'application/json',
      prefer: 'respond-async',
    },
    body: JSON.stringify(signed),
  });
  expect(res.status).toBe(202);
  const url = res.headers.get('location') ?? '';
  let status: { status?: string; transactionId?: string } = {};
  for (let i = 0; i < 100 && status.status !== 'committed'; i++) {
    const answer = await fetch(`${gateway!.url}${url}`, {
      headers: { 'x-api-key': keys[devices[2]!] ?? '' },
    });
    status = ((await answer.json()) as { data: typeof status }).data;
    if (status.status !== 'committed') await new Promise((r) => setTimeout(r, 50));
  }
  expect(status.status).toBe('committed');
  const stored = await api('hospitala-doctor', 'GET', '/patients/patient-1/vitals/async-signed-1');
  expect(stored.body.data).toMatchObject({ deviceId: devices[2], value: 66, txId: status.transactionId });
});
