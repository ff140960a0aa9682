import { KeyEndorsementPolicy } from 'fabric-shim';
import { implicitCollection } from '@careledger/contract';
import { A, careSetUp, consentInput, expectError, heartRate } from '../testing/care-setup';
import { contractInstances } from '../testing/contract-instances';
import { sampleLabResult } from '../testing/sample-lab-result';
import { samplePrescription } from '../testing/sample-prescription';
import { demoCallers, type TestIdentity, type TestNetwork } from '../testing/test-network';

// Lab results and dispensations written by other organisations into the custodian's
// collection, prescriptions by its doctors; and what is left in public state.

const { vitals, consents, labs, rx, accessLog } = contractInstances;
const { adminA, nurseA, doctorA, deviceA, patientA, doctorB, technician, pharmacist } = demoCallers;
const atCustodian = { at: A } as const;

const labResult = JSON.stringify({ ...sampleLabResult, price: { amount: 12.5, currency: 'EUR' } });
const dispensation = (id: string, quantity: number, prescriptionId = 'rx-1') =>
  JSON.stringify({ dispensationId: id, prescriptionId, patientId: 'p-1', custodianMspId: A, quantity });

function consentFor(net: TestNetwork, mspId: string, scope: string) {
  return net.submit(patientA, (ctx) => consents.grant(ctx), {
    transient: { consent: consentInput(mspId, [scope]) },
  });
}
function recordLab(net: TestNetwork, input = labResult) {
  return net.submit(technician, (ctx) => labs.record(ctx), {
    transient: { labResult: input },
    ...atCustodian,
  });
}
function prescribe(net: TestNetwork, who: TestIdentity = doctorA) {
  return net.submit(who, (ctx) => rx.prescribe(ctx), {
    transient: { prescription: JSON.stringify(samplePrescription) },
  });
}
function dispense(net: TestNetwork, input: string) {
  return net.submit(pharmacist, (ctx) => rx.dispense(ctx), {
    transient: { dispensation: input },
    ...atCustodian,
  });
}

describe('lab results', () => {
  it('lets a lab record under consent and read only its own results; custodian doctors read them all', async () => {
    const net = await careSetUp();
    await expectError(recordLab(net), 'CONSENT_REQUIRED');
    const consent = await consentFor(net, 'LabMSP', 'labResults');
    const recorded = await recordLab(net);
    expect(recorded.result).toMatchObject({
      id: 'lr-1',
      custodianMspId: A,
      consentId: consent.result.id,
      replayed: false,
    });
    expect(JSON.stringify(recorded.result)).not.toMatch(/5\.4|2345-7|12\.5/);
    const again = await recordLab(net);
    expect(again.result).toEqual({ ...recorded.result, replayed: true, txId: again.result.txId });
    expect(again.stub.hasWrites()).toBe(false);
    await expectError(
      recordLab(net, JSON.stringify({ ...JSON.parse(labResult), value: 9.9 })),
      'CONFLICT',
      'different content',
    );

    await net.submit(technician, (ctx) => accessLog.request(ctx, A, 'p-1', 'labResults'), atCustodian);
    const own = await net.evaluate(technician, (ctx) => labs.query(ctx, A, 'p-1', '', ''), atCustodian);
    expect(own.result.records.map((r) => [r.resultId, r.labMspId, r.value, r.price?.amount])).toEqual([
      ['lr-1', 'LabMSP', 5.4, 12.5],
    ]);
    const custodian = await net.evaluate(doctorA, (ctx) => labs.query(ctx, A, 'p-1', '', ''));
    expect(custodian.result.records[0]?.recordedBy).toMatchObject({ mspId: 'LabMSP', role: 'technician' });
    await expectError(
      net.evaluate(nurseA, (ctx) => labs.query(ctx, A, 'p-1', '', '')),
      'ACCESS_DENIED',
    );
  });

  it('writes nothing for a result naming a custodian that has no such patient', async () => {
    const net = await careSetUp();
    await consentFor(net, 'LabMSP', 'labResults');
    const before = net.snapshot();
    await expectError(
      recordLab(net, JSON.stringify({ ...JSON.parse(labResult), custodianMspId: 'HospitalBMSP' })),
      'CONSENT_REQUIRED', // Hospital B's patient p-1 gave the lab no consent (there is none)
    );
    expect(net.snapshot()).toBe(before);
  });
});

describe('prescriptions and dispensations', () => {
  it('prescribes, dispenses under consent within the quantity, logs the pharmacy and keeps the history', async () => {
    const net = await careSetUp();
    await expectError(prescribe(net, nurseA), 'ACCESS_DENIED');
    const prescribed = await prescribe(net);
    expect(prescribed.result).toMatchObject({ id: 'rx-1', custodianMspId: A, by: { role: 'doctor' } });
    await expectError(prescribe(net), 'CONFLICT');
    await expectError(dispense(net, dispensation('d-1', 10)), 'CONSENT_REQUIRED');
    const consent = await consentFor(net, 'PharmacyMSP', 'prescriptions');
    const first = await dispense(net, dispensation('d-1', 20));
    expect(first.result).toMatchObject({ id: 'd-1', consentId: consent.result.id, replayed: false });
    const replay = await dispense(net, dispensation('d-1', 20));
    expect(replay.result.replayed).toBe(true);
    expect(replay.stub.hasWrites()).toBe(false);
    await expectError(dispense(net, dispensation('d-1', 21)), 'CONFLICT', 'different content');
    await expectError(dispense(net, dispensation('d-2', 11)), 'PRECONDITION_FAILED', '10 left');
    await expectError(dispense(net, dispensation('d-3', 1, 'rx-9')), 'NOT_FOUND', 'prescription rx-9');

    const history = await net.evaluate(doctorA, (ctx) => rx.history(ctx, A, 'p-1', 'rx-1'));
    expect(history.result.map((h) => h.value?.dispensedQuantity)).toEqual([20, 0]);
    await net.submit(pharmacist, (ctx) => accessLog.request(ctx, A, 'p-1', 'prescriptions'), atCustodian);
    const seen = await net.evaluate(pharmacist, (ctx) => rx.query(ctx, A, 'p-1', '', ''), atCustodian);
    expect(seen.result.records[0]).toMatchObject({ medication: 'ramipril', dispensedQuantity: 20 });
    const log = await net.evaluate(adminA, (ctx) => accessLog.list(ctx, 'p-1', '', ''));
    expect(log.result.records.map((e) => [e.action, e.accessor.mspId])).toEqual([
      ['dispense', 'PharmacyMSP'],
      ['readPrescriptions', 'PharmacyMSP'],
    ]);
  });

  it('keeps prescriptions from other hospitals', async () => {
    const net = await careSetUp();
    await prescribe(net);
    await expectError(
      net.submit(doctorB, (ctx) => accessLog.request(ctx, A, 'p-1', 'prescriptions'), atCustodian),
      'ACCESS_DENIED',
    );
  });
});

describe('public state', () => {
  it('holds only the registry and patient stubs, each with the policy of its owner, never updated on later writes', async () => {
    const net = await careSetUp();
    await net.submit(deviceA, (ctx) => vitals.record(ctx), { transient: { reading: heartRate('r-1', 150) } });
    await consentFor(net, 'LabMSP', 'labResults');
    await recordLab(net);
    await prescribe(net);
    await consentFor(net, 'PharmacyMSP', 'prescriptions');
    const dispensed = await dispense(net, dispensation('d-1', 5));
    const revoked = await net.submit(adminA, (ctx) =>
      consents.revoke(ctx, 'p-1', dispensed.result.consentId!),
    );

    const types = [...net.ledger.state.keys()].map((key) => key.split('\u0000')[0]);
    expect([...new Set(types)].sort()).toEqual(['org', 'patient', 'registry']);
    const owner = new KeyEndorsementPolicy();
    owner.addOrgs('MEMBER', A);
    for (const key of net.ledger.state.keys()) {
      expect([key, net.ledger.validationParameters.get(key)]).toEqual([key, Buffer.from(owner.getPolicy())]);
    }
    for (const stub of [dispensed.stub, revoked.stub]) {
      expect(stub.writes().state.size).toBe(0);
      expect(stub.writes().validationParameters.size).toBe(0);
      expect([...stub.writes().privateData.keys()]).toEqual([implicitCollection(A)]);
    }
  });
});
