import {
  implicitCollection,
  signReading,
  type DeviceReading,
  type SignedReading,
} from '@careledger/contract';
import { generateKeyPairSync } from 'node:crypto';
import { unmarshal } from '../codec';
import { privateKeys } from '../keys';
import { putPrivate } from '../ledger/private-records';
import { A, careSetUp, expectError } from '../testing/care-setup';
import { contractInstances } from '../testing/contract-instances';
import { demoCallers, identity, keysOf, type TestNetwork } from '../testing/test-network';

const { devices, vitals } = contractInstances;
const { deviceA, nurseA, doctorA, doctorB } = demoCallers;
const deviceA2 = identity(A, 'device', { deviceId: 'dev-2' });

const heartRate = (readingId: string, value: number, deviceId = 'dev-1'): DeviceReading => ({
  readingId,
  patientId: 'p-1',
  deviceId,
  type: 'heartRate',
  value,
  unit: '/min',
  observedAt: '2026-11-22T10:00:00.000Z',
});

const sendSigned = (net: TestNetwork, signed: readonly SignedReading[], relayer = nurseA) =>
  net.submit(relayer, (ctx) => vitals.recordSigned(ctx), {
    transient: { signedReadings: JSON.stringify(signed) },
  });

/** The care set-up with dev-1 (bound to p-1) and dev-2 (bound to p-1 too) enrolled. */
async function enrolledSetUp(): Promise<TestNetwork> {
  const net = await careSetUp();
  await net.submit(nurseA, (ctx) => devices.register(ctx), {
    transient: { device: JSON.stringify({ deviceId: 'dev-2', type: 'thermometer', patientId: 'p-1' }) },
  });
  await net.submit(deviceA, (ctx) => devices.enrollKey(ctx));
  await net.submit(deviceA2, (ctx) => devices.enrollKey(ctx));
  return net;
}

describe('device-signed readings relayed in one transaction', () => {
  it("records many devices' readings as by each device, with one event for the batch", async () => {
    const net = await enrolledSetUp();
    const { result, stub } = await sendSigned(net, [
      signReading(heartRate('r-1', 72), keysOf(deviceA).privateKey),
      signReading(heartRate('r-2', 135, 'dev-2'), keysOf(deviceA2).privateKey),
    ]);
    expect(result.map((o) => [o.readingId, o.error, o.receipt?.deviceId, o.receipt?.flag])).toEqual([
      ['r-1', undefined, 'dev-1', 'normal'],
      ['r-2', undefined, 'dev-2', 'critical'],
    ]);
    const { result: stored } = await net.evaluate(doctorA, (ctx) => vitals.get(ctx, A, 'p-1', 'r-2'));
    // Attributed to the device that signed it, not to the nurse whose identity relayed it.
    expect(stored).toMatchObject({ deviceId: 'dev-2', value: 135, recordedBy: { role: 'device' } });
    expect(stored.recordedBy.id).toContain('device@HospitalAMSP');
    expect(stub.event?.name).toBe('VitalAbnormal');
    expect(unmarshal<{ alerts: { readingId: string }[] }>(stub.event!.payload).alerts).toEqual([
      expect.objectContaining({ readingId: 'r-2', flag: 'critical' }),
    ]);
  });

  it('asks the peer for each key once per transaction: five requests for a reading of a device not yet read', async () => {
    const net = await enrolledSetUp();
    const requests: string[] = [];
    const counted = [
      'getState',
      'getPrivateData',
      'getPrivateDataHash',
      'putState',
      'putPrivateData',
    ] as const;
    const { result } = await net.submit(
      nurseA,
      (ctx) => {
        for (const name of counted) {
          const call = ctx.stub[name].bind(ctx.stub) as (...args: string[]) => Promise<unknown>;
          (ctx.stub as unknown as Record<string, unknown>)[name] = (...args: string[]) => {
            requests.push(`${name} ${args.slice(0, 2).join(' ')}`);
            return call(...args);
          };
        }
        return vitals.recordSigned(ctx);
      },
      {
        transient: {
          signedReadings: JSON.stringify([
            signReading(heartRate('r-1', 72), keysOf(deviceA).privateKey),
            signReading(heartRate('r-2', 73, 'dev-2'), keysOf(deviceA2).privateKey),
            signReading(heartRate('r-3', 74), keysOf(deviceA).privateKey),
          ]),
        },
      },
    );
    expect(result.map((o) => o.error)).toEqual([undefined, undefined, undefined]);
    const reads = requests.filter((r) => r.startsWith('get'));
    expect(new Set(reads).size).toBe(reads.length);
    // The organisation; per device its record (binding and key); the patient once; per reading
    // its id index and two writes (the reading and the index).
    expect(requests).toHaveLength(1 + 2 + 1 + 3 * 3);
  });

  it('refuses a forged, altered, unenrolled, unbound or duplicate reading alone and records the others', async () => {
    const net = await enrolledSetUp();
    await net.submit(nurseA, (ctx) => devices.register(ctx), {
      transient: { device: JSON.stringify({ deviceId: 'dev-3', type: 'monitor' }) },
    });
    const deviceA4 = identity(A, 'device', { deviceId: 'dev-4' });
    await net.submit(nurseA, (ctx) => devices.register(ctx), {
      transient: { device: JSON.stringify({ deviceId: 'dev-4', type: 'monitor' }) },
    });
    await net.submit(deviceA4, (ctx) => devices.enrollKey(ctx));
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const good = signReading(heartRate('r-ok', 70), keysOf(deviceA).privateKey);
    const altered = signReading(heartRate('r-alt', 70), keysOf(deviceA).privateKey);
    const { result } = await sendSigned(net, [
      good,
      signReading(heartRate('r-forged', 70), stranger),
      { ...altered, payload: altered.payload.replace('70', '40') },
      signReading(heartRate('r-unenrolled', 70, 'dev-3'), stranger),
      signReading(heartRate('r-bad', 500), keysOf(deviceA).privateKey),
      { payload: 'not json', signature: 'AA==' },
      good,
      signReading(heartRate('r-unbound', 70, 'dev-4'), keysOf(deviceA4).privateKey),
    ]);
    expect(result.map((o) => [o.readingId, o.error?.code ?? 'ok'])).toEqual([
      ['r-ok', 'ok'],
      ['r-forged', 'ACCESS_DENIED'],
      ['r-alt', 'ACCESS_DENIED'],
      ['r-unenrolled', 'PRECONDITION_FAILED'],
      ['r-bad', 'INVALID_ARGUMENT'],
      ['', 'INVALID_ARGUMENT'],
      ['r-ok', 'INVALID_ARGUMENT'],
      ['r-unbound', 'ACCESS_DENIED'],
    ]);
    expect(result[1]?.error?.message).toBe(
      'signedReadings.1.signature: does not verify with the key device dev-1 enrolled',
    );
    expect(result[3]?.error?.message).toContain('device dev-3 has enrolled no signing key at HospitalAMSP');
    expect(result[6]?.error?.message).toBe('signedReadings.6: reading r-ok appears twice in the batch');
    const { result: page } = await net.evaluate(doctorA, (ctx) =>
      vitals.query(ctx, JSON.stringify({ patientId: 'p-1' })),
    );
    expect(page.records.map((r) => r.readingId)).toEqual(['r-ok']);
  });

  it('answers a resent reading as a replay and the same id with other content as a conflict', async () => {
    const net = await enrolledSetUp();
    const first = await sendSigned(net, [signReading(heartRate('r-1', 72), keysOf(deviceA).privateKey)]);
    const again = await sendSigned(net, [signReading(heartRate('r-1', 72), keysOf(deviceA).privateKey)]);
    expect(again.result[0]?.receipt).toMatchObject({ replayed: true, txId: first.result[0]?.receipt?.txId });
    expect(again.stub.hasWrites()).toBe(false);
    const other = await sendSigned(net, [signReading(heartRate('r-1', 73), keysOf(deviceA).privateKey)]);
    expect(other.result[0]?.error?.code).toBe('CONFLICT');
  });

  it('takes signed readings from an identity of the devices’ own hospital only', async () => {
    const net = await enrolledSetUp();
    const { result } = await sendSigned(
      net,
      [signReading(heartRate('r-1', 72), keysOf(deviceA).privateKey)],
      doctorB,
    );
    // Hospital B's collection holds no key of Hospital A's device: nothing is recorded there or at A.
    expect(result[0]?.error?.code).toBe('PRECONDITION_FAILED');
    await expectError(
      net.evaluate(doctorA, (ctx) => vitals.get(ctx, A, 'p-1', 'r-1')),
      'NOT_FOUND',
      'reading r-1',
    );
  });

  it('keeps the key in the device record, which the registry answers without it', async () => {
    const net = await enrolledSetUp();
    const stored = net.ledger.privateData.get(implicitCollection(A))?.get(privateKeys.device('dev-1'));
    expect(JSON.parse(String(stored))).toMatchObject({
      signingKey: { publicKeyPem: keysOf(deviceA).publicPem },
    });
    const { result: device } = await net.evaluate(nurseA, (ctx) => devices.get(ctx, 'dev-1'));
    expect(device).not.toHaveProperty('signingKey');
    expect(device).toMatchObject({ deviceId: 'dev-1', patientId: 'p-1' });
  });

  it('verifies with a key enrolled before keys were kept in the device record', async () => {
    const net = await careSetUp();
    // What Devices:enrollKey stored until then: a record of the key's own.
    await net.submit(deviceA, (ctx) =>
      putPrivate(ctx, A, privateKeys.deviceKey('dev-1'), {
        deviceId: 'dev-1',
        publicKeyPem: keysOf(deviceA).publicPem,
        actorId: ctx.clientIdentity.getID(),
        enrolledAt: '2026-11-22T09:00:00.000Z',
        txId: 'tx-legacy',
      }),
    );
    const { result } = await sendSigned(net, [signReading(heartRate('r-1', 72), keysOf(deviceA).privateKey)]);
    expect(result[0]).toMatchObject({ readingId: 'r-1', receipt: { deviceId: 'dev-1' } });
    const again = await net.submit(deviceA, (ctx) => devices.enrollKey(ctx));
    expect(again.result).toMatchObject({ replayed: true, txId: 'tx-legacy' });
  });

  it('lets only a device enrol its own key, once per key', async () => {
    const net = await careSetUp();
    await expectError(
      net.submit(nurseA, (ctx) => devices.enrollKey(ctx)),
      'ACCESS_DENIED',
      'only a device enrols its own signing key',
    );
    const first = await net.submit(deviceA, (ctx) => devices.enrollKey(ctx));
    expect(first.result).toMatchObject({ id: 'dev-1', replayed: false });
    const again = await net.submit(deviceA, (ctx) => devices.enrollKey(ctx));
    expect(again.result).toMatchObject({ replayed: true, txId: first.result.txId });
    expect(again.stub.hasWrites()).toBe(false);
    await expectError(
      net.submit(identity(A, 'device', { deviceId: 'dev-9' }), (ctx) => devices.enrollKey(ctx)),
      'NOT_FOUND',
      'device dev-9',
    );
  });
});
