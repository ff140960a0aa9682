import { KeyEndorsementPolicy } from 'fabric-shim';
import { marshal, unmarshal } from '../codec';
import { ChaincodeError } from '../error-code';
import { keys } from '../keys';
import { contractInstances } from '../testing/contract-instances';
import { FakeStub } from '../testing/fake-stub';
import { samplePrescription } from '../testing/sample-prescription';
import { demoCallers, identity, registry, TestNetwork } from '../testing/test-network';

const { orgs, patients, devices, vitals, consents, labs, rx, accessLog } = contractInstances;
const { adminA, nurseA, doctorA, deviceA, patientA, doctorB, technician, pharmacist } = demoCallers;

const demographics = JSON.stringify({
  name: 'Ada Example',
  birthDate: '1980-02-03',
  sex: 'female',
  allergies: ['penicillin'],
});

async function expectError(promise: Promise<unknown>, code: string, fragment = ''): Promise<void> {
  await expect(promise).rejects.toThrow(ChaincodeError);
  await promise.catch((err: Error) => {
    expect(err.message.startsWith(`${code}: `)).toBe(true);
    expect(err.message).toContain(fragment);
  });
}

async function setUp(): Promise<TestNetwork> {
  const net = new TestNetwork();
  await net.submit(adminA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry)));
  await net.submit(nurseA, (ctx) => patients.register(ctx, 'p-1'), { transient: { demographics } });
  await net.submit(nurseA, (ctx) =>
    devices.register(ctx, JSON.stringify({ deviceId: 'dev-1', type: 'pulse-oximeter', patientId: 'p-1' })),
  );
  return net;
}

const reading = (id: string, value: number, observedAt = '2026-11-22T10:00:00.000Z') =>
  JSON.stringify({ readingId: id, patientId: 'p-1', type: 'heartRate', value, unit: '/min', observedAt });

describe('Organizations', () => {
  it('bootstraps once, by an admin of a listed organisation', async () => {
    const net = new TestNetwork();
    await expectError(
      net.submit(doctorA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry))),
      'ACCESS_DENIED',
    );
    await net.submit(adminA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry)));
    await expectError(
      net.submit(adminA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry))),
      'CONFLICT',
    );
    const { result } = await net.evaluate(doctorB, (ctx) => orgs.list(ctx));
    expect(result.map((o) => o.mspId)).toEqual(['HospitalAMSP', 'HospitalBMSP', 'LabMSP', 'PharmacyMSP']);
  });

  it('lets only the steward admin change the registry', async () => {
    const net = await setUp();
    const lab2 = JSON.stringify({ mspId: 'Lab2MSP', type: 'lab', name: 'Second Lab' });
    await expectError(
      net.submit(identity('HospitalBMSP', 'admin'), (ctx) => orgs.upsert(ctx, lab2)),
      'ACCESS_DENIED',
    );
    const { result } = await net.submit(adminA, (ctx) => orgs.upsert(ctx, lab2));
    expect(result).toMatchObject({ mspId: 'Lab2MSP', type: 'lab' });
  });

  it('refuses a caller whose role is not one of its organisation type', async () => {
    const net = await setUp();
    await expectError(
      net.evaluate(identity('LabMSP', 'doctor'), (ctx) => orgs.list(ctx)),
      'UNAUTHENTICATED_ROLE',
      "'doctor' is not a role of a lab",
    );
    await expectError(
      net.evaluate({ mspId: 'LabMSP', name: 'x', attrs: {} }, (ctx) => orgs.list(ctx)),
      'UNAUTHENTICATED_ROLE',
      'missing',
    );
    await expectError(
      net.evaluate(identity('RogueMSP', 'admin'), (ctx) => orgs.list(ctx)),
      'ACCESS_DENIED',
      'not in the organisation registry',
    );
  });
});

describe('Patients', () => {
  it('keeps demographics in the custodian implicit collection and only their hash in public state', async () => {
    const net = await setUp();
    const collection = net.ledger.privateData.get('_implicit_org_HospitalAMSP');
    expect(collection?.get('p-1')?.toString()).toContain('Ada Example');
    const publicBytes = [...net.ledger.state.values()].map((v) => v.value.toString()).join('\n');
    expect(publicBytes).not.toContain('Ada');
    const patient = unmarshal<{ demographicsHash: string; custodianMspId: string }>(
      net.ledger.state.get(keys.patient('p-1'))!.value,
    );
    expect(patient.custodianMspId).toBe('HospitalAMSP');
    expect(patient.demographicsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('puts a key-level endorsement policy naming the custodian on the patient record', async () => {
    const net = await setUp();
    const policy = net.ledger.validationParameters.get(keys.patient('p-1'));
    const expected = new KeyEndorsementPolicy();
    expected.addOrgs('MEMBER', 'HospitalAMSP');
    expect(Buffer.from(policy!)).toEqual(Buffer.from(expected.getPolicy()));
  });

  it('refuses a registration without demographics, a duplicate, and a lab caller, changing nothing', async () => {
    const net = await setUp();
    const before = net.snapshot();
    await expectError(
      net.submit(nurseA, (ctx) => patients.register(ctx, 'p-2')),
      'INVALID_ARGUMENT',
      'demographics: missing',
    );
    await expectError(
      net.submit(nurseA, (ctx) => patients.register(ctx, 'p-1'), { transient: { demographics } }),
      'CONFLICT',
    );
    await expectError(
      net.submit(technician, (ctx) => patients.register(ctx, 'p-3'), { transient: { demographics } }),
      'ACCESS_DENIED',
    );
    await expectError(
      net.submit(nurseA, (ctx) => patients.register(ctx, 'p-4'), {
        transient: { demographics: '{"name":"x"}' },
      }),
      'INVALID_ARGUMENT',
      'demographics.birthDate',
    );
    expect(net.snapshot()).toBe(before);
  });

  it('lists the custodian patients in pages with bookmarks', async () => {
    const net = await setUp();
    for (let i = 2; i <= 25; i++) {
      await net.submit(nurseA, (ctx) => patients.register(ctx, `p-${i}`), { transient: { demographics } });
    }
    const sizes: number[] = [];
    let bookmark = '';
    do {
      const { result } = await net.evaluate(doctorA, (ctx) => patients.list(ctx, '10', bookmark));
      sizes.push(result.fetchedRecordsCount);
      bookmark = result.bookmark;
    } while (bookmark !== '');
    expect(sizes).toEqual([10, 10, 5]);
    const other = await net.evaluate(identity('HospitalBMSP', 'nurse'), (ctx) =>
      patients.list(ctx, '10', ''),
    );
    expect(other.result.records).toEqual([]);
    await expectError(
      net.evaluate(doctorA, (ctx) => patients.list(ctx, '10', 'bm90LWEtYm9va21hcms')),
      'INVALID_ARGUMENT',
      'bookmark',
    );
  });
});

describe('Vitals', () => {
  it('records a reading from the bound device and answers a replay without writing', async () => {
    const net = await setUp();
    const first = await net.submit(deviceA, (ctx) => vitals.record(ctx, reading('r-1', 72)));
    expect(first.result).toMatchObject({
      replayed: false,
      reading: { flag: 'normal', deviceId: 'dev-1', loinc: '8867-4' },
    });
    const replay = await net.submit(deviceA, (ctx) => vitals.record(ctx, reading('r-1', 72)));
    expect(replay.result).toEqual({ replayed: true, reading: first.result.reading });
    expect(replay.stub.hasWrites()).toBe(false);
    await expectError(
      net.submit(deviceA, (ctx) => vitals.record(ctx, reading('r-1', 73))),
      'CONFLICT',
      'different content',
    );
  });

  it('raises one VitalAbnormal event listing every abnormal reading of a batch', async () => {
    const net = await setUp();
    const batch = JSON.stringify([
      JSON.parse(reading('r-1', 72)),
      JSON.parse(reading('r-2', 135)),
      JSON.parse(reading('r-3', 115)),
    ]);
    const { stub, result } = await net.submit(deviceA, (ctx) => vitals.recordBatch(ctx, batch));
    expect(result.map((r) => r.reading.flag)).toEqual(['normal', 'critical', 'abnormal']);
    expect(stub.event?.name).toBe('VitalAbnormal');
    const payload = unmarshal<{
      alerts: { readingId: string; custodianMspId: string; news2Score: number }[];
    }>(stub.event!.payload);
    expect(payload.alerts.map((a) => [a.readingId, a.news2Score, a.custodianMspId])).toEqual([
      ['r-2', 3, 'HospitalAMSP'],
      ['r-3', 2, 'HospitalAMSP'],
    ]);
  });

  it('stores nothing of a batch with one bad reading', async () => {
    const net = await setUp();
    const before = net.snapshot();
    const batch = JSON.stringify([JSON.parse(reading('r-1', 72)), JSON.parse(reading('r-2', 500))]);
    await expectError(
      net.submit(deviceA, (ctx) => vitals.recordBatch(ctx, batch)),
      'INVALID_ARGUMENT',
      'readings.1.value',
    );
    expect(net.snapshot()).toBe(before);
  });

  it('refuses an unbound device, a device speaking for another, and other hospitals', async () => {
    const net = await setUp();
    await net.submit(nurseA, (ctx) =>
      devices.register(ctx, JSON.stringify({ deviceId: 'dev-2', type: 'thermometer' })),
    );
    await expectError(
      net.submit(identity('HospitalAMSP', 'device', { deviceId: 'dev-2' }), (ctx) =>
        vitals.record(ctx, reading('r-9', 70)),
      ),
      'ACCESS_DENIED',
      'not bound',
    );
    await expectError(
      net.submit(deviceA, (ctx) =>
        vitals.record(ctx, JSON.stringify({ ...JSON.parse(reading('r-9', 70)), deviceId: 'dev-2' })),
      ),
      'ACCESS_DENIED',
    );
    await expectError(
      net.submit(doctorB, (ctx) => vitals.record(ctx, reading('r-9', 70))),
      'ACCESS_DENIED',
    );
    await expectError(
      net.submit(nurseA, (ctx) =>
        vitals.record(ctx, JSON.stringify({ ...JSON.parse(reading('r-9', 70)), patientId: 'nobody' })),
      ),
      'NOT_FOUND',
    );
  });

  it('queries by time range and type, a page at a time', async () => {
    const net = await setUp();
    for (let i = 0; i < 12; i++) {
      const at = new Date(Date.parse('2026-11-22T08:00:00.000Z') + i * 60_000).toISOString();
      await net.submit(nurseA, (ctx) => vitals.record(ctx, reading(`hr-${i}`, 70 + i, at)));
      await net.submit(nurseA, (ctx) =>
        vitals.record(
          ctx,
          JSON.stringify({
            readingId: `t-${i}`,
            patientId: 'p-1',
            type: 'bodyTemperature',
            value: 37,
            unit: 'Cel',
            observedAt: at,
          }),
        ),
      );
    }
    const q = (extra: object) => JSON.stringify({ patientId: 'p-1', ...extra });
    const window = await net.submit(doctorA, (ctx) =>
      vitals.query(ctx, q({ from: '2026-11-22T08:03:00Z', to: '2026-11-22T08:06:00Z', type: 'heartRate' })),
    );
    expect(window.result.records.map((r) => r.readingId)).toEqual(['hr-3', 'hr-4', 'hr-5']);
    const first = await net.submit(doctorA, (ctx) =>
      vitals.query(ctx, q({ type: 'bodyTemperature', pageSize: 5 })),
    );
    expect(first.result.records).toHaveLength(5);
    expect(first.result.bookmark).not.toBe('');
    const second = await net.submit(doctorA, (ctx) =>
      vitals.query(ctx, q({ type: 'bodyTemperature', pageSize: 5, bookmark: first.result.bookmark })),
    );
    expect(second.result.records[0]?.readingId).toBe('t-5');
    await expectError(
      net.submit(doctorA, (ctx) =>
        vitals.query(ctx, q({ from: '2026-11-22T09:00:00Z', to: '2026-11-22T08:00:00Z' })),
      ),
      'INVALID_ARGUMENT',
      'query.to',
    );
  });
});

describe('Consents and cross-organisation reads', () => {
  const grant = (extra: object = {}) =>
    JSON.stringify({
      patientId: 'p-1',
      granteeMspId: 'HospitalBMSP',
      scopes: ['vitals', 'demographics'],
      purpose: 'second opinion',
      validUntil: '2027-01-01T00:00:00Z',
      ...extra,
    });
  const query = JSON.stringify({ patientId: 'p-1' });

  it('runs the story: denied, consent, read logged and visible to the patient, revoke, denied', async () => {
    const net = await setUp();
    await net.submit(deviceA, (ctx) => vitals.record(ctx, reading('r-1', 72)));
    await expectError(
      net.submit(doctorB, (ctx) => vitals.query(ctx, query)),
      'CONSENT_REQUIRED',
      'consent: none',
    );

    const granted = await net.submit(patientA, (ctx) => consents.grant(ctx, grant()));
    expect(granted.result).toMatchObject({
      status: 'active',
      onBehalfOfPatient: false,
      custodianMspId: 'HospitalAMSP',
    });
    expect(granted.stub.event?.name).toBe('ConsentChanged');
    expect(unmarshal<{ status: string; granteeMspId: string }>(granted.stub.event!.payload)).toMatchObject({
      status: 'active',
      granteeMspId: 'HospitalBMSP',
    });

    const read = await net.submit(doctorB, (ctx) => vitals.query(ctx, query));
    expect(read.result.records.map((r) => r.readingId)).toEqual(['r-1']);
    const demo = await net.submit(doctorB, (ctx) => patients.readDemographics(ctx, 'p-1'));
    expect(demo.result.name).toBe('Ada Example');

    const log = await net.evaluate(patientA, (ctx) => accessLog.list(ctx, 'p-1', '', ''));
    expect(log.result.records.map((e) => [e.action, e.accessor.mspId, e.consentId])).toEqual([
      ['readVitals', 'HospitalBMSP', granted.result.consentId],
      ['readDemographics', 'HospitalBMSP', granted.result.consentId],
    ]);
    const custodianRead = await net.submit(doctorA, (ctx) => vitals.query(ctx, query));
    expect(custodianRead.stub.hasWrites()).toBe(false);

    await expectError(
      net.submit(doctorB, (ctx) => consents.revoke(ctx, 'p-1', granted.result.consentId)),
      'ACCESS_DENIED',
    );
    const revoked = await net.submit(adminA, (ctx) => consents.revoke(ctx, 'p-1', granted.result.consentId));
    expect(revoked.result).toMatchObject({ status: 'revoked', revokedBy: { role: 'admin' } });
    await expectError(
      net.submit(doctorB, (ctx) => vitals.query(ctx, query)),
      'CONSENT_REQUIRED',
      'consent: revoked',
    );
    await expectError(
      net.submit(adminA, (ctx) => consents.revoke(ctx, 'p-1', granted.result.consentId)),
      'PRECONDITION_FAILED',
    );

    const history = await net.evaluate(patientA, (ctx) =>
      consents.history(ctx, 'p-1', granted.result.consentId),
    );
    expect(history.result.map((h) => h.value?.status)).toEqual(['revoked', 'active']);
  });

  it('denies at once when a consent expires', async () => {
    const net = await setUp();
    const until = new Date(net.now.getTime() + 10_000).toISOString();
    await net.submit(adminA, (ctx) => consents.grant(ctx, grant({ validUntil: until })));
    await net.submit(doctorB, (ctx) => vitals.query(ctx, query));
    net.advance(20_000);
    await expectError(
      net.submit(doctorB, (ctx) => vitals.query(ctx, query)),
      'CONSENT_REQUIRED',
      'consent: expired',
    );
  });

  it('ignores a consent the custodian never endorsed, or whose terms were changed', async () => {
    const net = await setUp();
    const granted = await net.submit(patientA, (ctx) => consents.grant(ctx, grant({ scopes: ['vitals'] })));
    await net.submit(doctorB, (ctx) => vitals.query(ctx, query));
    // What a dishonest peer could commit alone under a one-organisation chaincode policy: a new
    // consent key, without the custodian's private anchor.
    const forged = { ...granted.result, consentId: 'forged-1', scopes: ['demographics'] };
    const forger = new FakeStub(net.ledger, { txId: 'forged-1', timestamp: net.now, mspId: 'HospitalBMSP' });
    await forger.putState(keys.consent('p-1', 'forged-1'), marshal(forged));
    net.ledger.commit(forger.writes());
    await expectError(
      net.submit(doctorB, (ctx) => patients.readDemographics(ctx, 'p-1')),
      'CONSENT_REQUIRED',
      'consent: otherScope', // the genuine vitals consent; the forged one does not count
    );
    // Changing the terms of an anchored consent (which its key-level policy forbids) breaks the anchor.
    const widened = new FakeStub(net.ledger, { txId: 'forged-2', timestamp: net.now, mspId: 'HospitalBMSP' });
    await widened.putState(
      keys.consent('p-1', granted.result.consentId),
      marshal({ ...granted.result, scopes: ['vitals', 'demographics'] }),
    );
    net.ledger.commit(widened.writes());
    await expectError(
      net.submit(doctorB, (ctx) => vitals.query(ctx, query)),
      'CONSENT_REQUIRED',
    );
    await expectError(
      net.submit(doctorB, (ctx) => patients.readDemographics(ctx, 'p-1')),
      'CONSENT_REQUIRED',
    );
  });

  it('keeps a patient from granting for someone else and checks the grantee', async () => {
    const net = await setUp();
    await net.submit(nurseA, (ctx) => patients.register(ctx, 'p-2'), { transient: { demographics } });
    await expectError(
      net.submit(patientA, (ctx) => consents.grant(ctx, grant({ patientId: 'p-2' }))),
      'ACCESS_DENIED',
      'own',
    );
    await expectError(
      net.submit(patientA, (ctx) => consents.grant(ctx, grant({ granteeMspId: 'NoSuchMSP' }))),
      'INVALID_ARGUMENT',
      'granteeMspId',
    );
    await expectError(
      net.submit(patientA, (ctx) =>
        consents.grant(ctx, grant({ granteeMspId: 'LabMSP', granteeRole: 'nurse' })),
      ),
      'INVALID_ARGUMENT',
      'granteeRole',
    );
    await expectError(
      net.submit(patientA, (ctx) => consents.grant(ctx, grant({ validUntil: '2020-01-01T00:00:00Z' }))),
      'INVALID_ARGUMENT',
      'validUntil',
    );
  });
});

describe('Lab results, prescriptions and dispensations', () => {
  const consentFor = (mspId: string, scopes: string[]) =>
    JSON.stringify({
      patientId: 'p-1',
      granteeMspId: mspId,
      scopes,
      purpose: 'care',
      validUntil: '2027-01-01T00:00:00Z',
    });
  const labResult = JSON.stringify({
    resultId: 'lr-1',
    patientId: 'p-1',
    loinc: '2345-7',
    value: 5.4,
    unit: 'mmol/L',
    price: { amount: 12.5, currency: 'EUR' },
    observedAt: '2026-11-22T09:00:00Z',
  });

  it('lets a lab record under consent and read only its own results; custodian doctors read them', async () => {
    const net = await setUp();
    await expectError(
      net.submit(technician, (ctx) => labs.record(ctx, labResult)),
      'CONSENT_REQUIRED',
    );
    await net.submit(patientA, (ctx) => consents.grant(ctx, consentFor('LabMSP', ['labResults'])));
    const recorded = await net.submit(technician, (ctx) => labs.record(ctx, labResult));
    expect(recorded.result).toMatchObject({ labMspId: 'LabMSP', loinc: '2345-7' });
    const again = await net.submit(technician, (ctx) => labs.record(ctx, labResult));
    expect(again.stub.hasWrites()).toBe(false);
    const own = await net.submit(technician, (ctx) => labs.query(ctx, 'p-1', '', ''));
    expect(own.result.records).toHaveLength(1);
    const custodian = await net.submit(doctorA, (ctx) => labs.query(ctx, 'p-1', '', ''));
    expect(custodian.result.records[0]?.resultId).toBe('lr-1');
    await expectError(
      net.submit(nurseA, (ctx) => labs.query(ctx, 'p-1', '', '')),
      'ACCESS_DENIED',
    );
  });

  it('prescribes, dispenses under consent within the quantity, and keeps the history', async () => {
    const net = await setUp();
    const prescription = JSON.stringify({ ...samplePrescription, medication: 'ramipril 5 mg' });
    await expectError(
      net.submit(nurseA, (ctx) => rx.prescribe(ctx, prescription)),
      'ACCESS_DENIED',
    );
    await net.submit(doctorA, (ctx) => rx.prescribe(ctx, prescription));
    const dispense = (id: string, quantity: number) =>
      JSON.stringify({ dispensationId: id, prescriptionId: 'rx-1', patientId: 'p-1', quantity });
    await expectError(
      net.submit(pharmacist, (ctx) => rx.dispense(ctx, dispense('d-1', 10))),
      'CONSENT_REQUIRED',
    );
    await net.submit(patientA, (ctx) => consents.grant(ctx, consentFor('PharmacyMSP', ['prescriptions'])));
    await net.submit(pharmacist, (ctx) => rx.dispense(ctx, dispense('d-1', 20)));
    await expectError(
      net.submit(pharmacist, (ctx) => rx.dispense(ctx, dispense('d-2', 11))),
      'PRECONDITION_FAILED',
      '10 left',
    );
    const history = await net.submit(doctorA, (ctx) => rx.history(ctx, 'p-1', 'rx-1'));
    expect(history.result.map((h) => h.value?.dispensedQuantity)).toEqual([20, 0]);
    const seen = await net.submit(pharmacist, (ctx) => rx.query(ctx, 'p-1', '', ''));
    expect(seen.result.records[0]?.dispensedQuantity).toBe(20);
    const log = await net.evaluate(adminA, (ctx) => accessLog.list(ctx, 'p-1', '', ''));
    expect(log.result.records.map((e) => e.action)).toEqual(['dispense', 'readPrescriptions']);
  });
});

describe('records the custodian never endorsed', () => {
  it('refuses to dispense a prescription without the custodian anchor', async () => {
    const net = await setUp();
    await net.submit(patientA, (ctx) =>
      consents.grant(
        ctx,
        JSON.stringify({
          patientId: 'p-1',
          granteeMspId: 'PharmacyMSP',
          scopes: ['prescriptions'],
          purpose: 'care',
          validUntil: '2027-01-01T00:00:00Z',
        }),
      ),
    );
    const forged = {
      prescriptionId: 'rx-f',
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      atc: 'N02AA01',
      medication: 'morphine',
      dosage: 'as needed',
      quantity: 100,
      dispensedQuantity: 0,
      prescribedAt: net.now.toISOString(),
      prescribedBy: { mspId: 'HospitalAMSP', role: 'doctor', id: 'x' },
    };
    const forger = new FakeStub(net.ledger, { txId: 'forged-rx', timestamp: net.now, mspId: 'PharmacyMSP' });
    await forger.putState(keys.prescription('p-1', 'rx-f'), marshal(forged));
    net.ledger.commit(forger.writes());
    await expectError(
      net.submit(pharmacist, (ctx) =>
        rx.dispense(
          ctx,
          JSON.stringify({ dispensationId: 'd-f', prescriptionId: 'rx-f', patientId: 'p-1', quantity: 10 }),
        ),
      ),
      'PRECONDITION_FAILED',
      'not endorsed by the custodian',
    );
  });
});

describe('key-level endorsement', () => {
  it('gives every key the policy of its owner at creation, and leaves it alone on updates', async () => {
    const net = await setUp();
    const grant = (granteeMspId: string, scopes: string[]) =>
      JSON.stringify({
        patientId: 'p-1',
        granteeMspId,
        scopes,
        purpose: 'care',
        validUntil: '2027-01-01T00:00:00Z',
      });
    await net.submit(deviceA, (ctx) => vitals.record(ctx, reading('r-1', 150)));
    const vitalsConsent = await net.submit(patientA, (ctx) =>
      consents.grant(ctx, grant('HospitalBMSP', ['vitals'])),
    );
    await net.submit(doctorB, (ctx) => vitals.query(ctx, JSON.stringify({ patientId: 'p-1' })));
    await net.submit(patientA, (ctx) => consents.grant(ctx, grant('LabMSP', ['labResults'])));
    await net.submit(technician, (ctx) =>
      labs.record(
        ctx,
        JSON.stringify({
          resultId: 'lr-1',
          patientId: 'p-1',
          loinc: '2345-7',
          value: 'high',
          unit: '',
          observedAt: '2026-11-22T09:00:00Z',
        }),
      ),
    );
    await net.submit(doctorA, (ctx) => rx.prescribe(ctx, JSON.stringify(samplePrescription)));
    await net.submit(patientA, (ctx) => consents.grant(ctx, grant('PharmacyMSP', ['prescriptions'])));
    const dispensed = await net.submit(pharmacist, (ctx) =>
      rx.dispense(
        ctx,
        JSON.stringify({ dispensationId: 'd-1', prescriptionId: 'rx-1', patientId: 'p-1', quantity: 5 }),
      ),
    );
    const revoked = await net.submit(adminA, (ctx) =>
      consents.revoke(ctx, 'p-1', vitalsConsent.result.consentId),
    );

    const custodian = new KeyEndorsementPolicy();
    custodian.addOrgs('MEMBER', 'HospitalAMSP');
    const expected = Buffer.from(custodian.getPolicy());
    const types = new Set<string>();
    for (const key of net.ledger.state.keys()) {
      types.add(key.split('\u0000')[0]!);
      expect([key, net.ledger.validationParameters.get(key)]).toEqual([key, expected]);
    }
    // Every kind of key was checked: registry, organisations, patient data and its indexes.
    expect([...types].sort()).toEqual(
      [
        'access',
        'consent',
        'custodian',
        'device',
        'dispense',
        'lab',
        'org',
        'patient',
        'reading',
        'registry',
        'rx',
        'vital',
      ].sort(),
    );
    const rxKey = keys.prescription('p-1', 'rx-1');
    expect(dispensed.stub.writes().state.has(rxKey)).toBe(true);
    expect(dispensed.stub.writes().validationParameters.has(rxKey)).toBe(false);
    expect(revoked.stub.writes().validationParameters.size).toBe(0);
  });
});
