import { signReading, type DeviceReading, type SignedReading } from '@careledger/contract';
import { generateKeyPairSync } from 'node:crypto';
import { unmarshal } from '../codec';
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
