import { implicitCollection } from '@careledger/contract';
import { contractInstances } from '../testing/contract-instances';
import { A, careSetUp, expectError, heartRate } from '../testing/care-setup';
import { demoCallers, type TestNetwork } from '../testing/test-network';

const { vitals, accessLog, consents } = contractInstances;
const { nurseA, doctorA, adminA, patientA, doctorB } = demoCallers;

describe('Vitals:acknowledge', () => {
  let net: TestNetwork;
  beforeEach(async () => {
    net = await careSetUp();
    // Pulse 135: sub-score 3 (critical); pulse 70: 0 (normal, no alert).
    for (const [id, value] of [
      ['r-crit', 135],
      ['r-normal', 70],
    ] as const) {
      await net.submit(nurseA, (ctx) => vitals.record(ctx), { transient: { reading: heartRate(id, value) } });
    }
  });

  it("keeps who acknowledged a critical reading's alert and when, in the custodian's collection", async () => {
    const { result: receipt } = await net.submit(nurseA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-crit'));
    expect(receipt).toMatchObject({
      id: 'r-crit',
      patientId: 'p-1',
      custodianMspId: A,
      at: net.now.toISOString(),
      by: { mspId: A, role: 'nurse' },
      replayed: false,
      news2Score: 3,
      flag: 'critical',
    });
    const { result: ack } = await net.evaluate(doctorA, (ctx) =>
      vitals.getAcknowledgement(ctx, A, 'p-1', 'r-crit'),
    );
    expect(ack).toEqual({
      readingId: 'r-crit',
      patientId: 'p-1',
      custodianMspId: A,
      news2Score: 3,
      flag: 'critical',
      acknowledgedAt: receipt.at,
      acknowledgedBy: receipt.by,
      txId: receipt.txId,
    });
    // Only in Hospital A's implicit collection: nothing public.
    expect([...net.ledger.state.keys()].filter((k) => k.includes('ack'))).toEqual([]);
    const held = [...(net.ledger.privateData.get(implicitCollection(A))?.keys() ?? [])];
    expect(held.filter((k) => k.startsWith('ack'))).toHaveLength(1);
    const { result: own } = await net.evaluate(patientA, (ctx) =>
      vitals.getAcknowledgement(ctx, A, 'p-1', 'r-crit'),
    );
    expect(own.acknowledgedBy).toEqual(receipt.by);
  });

  it('answers a second acknowledgement with the first, as a replay, and writes nothing', async () => {
    const { result: first } = await net.submit(nurseA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-crit'));
    net.advance(60_000);
    const { result: second, stub } = await net.submit(doctorA, (ctx) =>
      vitals.acknowledge(ctx, 'p-1', 'r-crit'),
    );
    expect(second).toEqual({ ...first, replayed: true });
    expect(stub.writes().privateData.size).toBe(0);
  });

  it('refuses a reading that raised no alert, one that does not exist, and callers the matrix does not name', async () => {
    await expectError(
      net.evaluate(nurseA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-normal')),
      'PRECONDITION_FAILED',
      'raised no alert',
    );
    await expectError(
      net.evaluate(nurseA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-none')),
      'NOT_FOUND',
    );
    await expectError(
      net.evaluate(adminA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-crit')),
      'ACCESS_DENIED',
    );
    await expectError(
      net.evaluate(patientA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-crit')),
      'ACCESS_DENIED',
    );
    await expectError(
      net.evaluate(nurseA, (ctx) => vitals.getAcknowledgement(ctx, A, 'p-1', 'r-crit')),
      'NOT_FOUND',
      'not acknowledged',
    );
  });

  it("is read by another hospital's consented doctor only after its logged access request", async () => {
    await net.submit(nurseA, (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-crit'));
    await net.submit(patientA, (ctx) => consents.grant(ctx), {
      transient: {
        consent: JSON.stringify({
          patientId: 'p-1',
          granteeMspId: 'HospitalBMSP',
          scopes: ['vitals'],
          purpose: 'care',
          validUntil: '2027-01-01T00:00:00Z',
        }),
      },
    });
    const read = () =>
      net.evaluate(doctorB, (ctx) => vitals.getAcknowledgement(ctx, A, 'p-1', 'r-crit'), { at: A });
    await expectError(read(), 'ACCESS_NOT_LOGGED');
    await net.submit(doctorB, (ctx) => accessLog.request(ctx, A, 'p-1', 'vitals'), { at: A });
    await expect(read().then((o) => o.result.flag)).resolves.toBe('critical');
  });
});
