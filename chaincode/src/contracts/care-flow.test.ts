import { KeyEndorsementPolicy } from 'fabric-shim';
import { unmarshal } from '../codec';
import { keys, privateKeys } from '../keys';
import { implicitCollection } from '@careledger/contract';
import { A, careSetUp, demographics, expectError, heartRate } from '../testing/care-setup';
import { contractInstances } from '../testing/contract-instances';
import { demoCallers, identity, registry, TestNetwork } from '../testing/test-network';

// Registration, devices and vital signs at the patient's own hospital. Cross-organisation
// reads are in cross-organisation-reads.test.ts, lab results and prescriptions in
// clinical-records.test.ts.

const { orgs, patients, devices, vitals } = contractInstances;
const { adminA, nurseA, doctorA, deviceA, patientA, doctorB, technician } = demoCallers;
const nurseB = identity('HospitalBMSP', 'nurse');

/** Every value committed to public state, as text. */
function publicText(net: TestNetwork): string {
  return [...net.ledger.state.values()].map((v) => v.value.toString()).join('\n');
}

describe('Organizations', () => {
  it('bootstraps once, by an admin of a listed organisation', async () => {
    const net = new TestNetwork();
    // Before the bootstrap there are no members: the list is empty to anyone, and says so without an error.
    expect((await net.evaluate(identity('RogueMSP', 'admin'), (ctx) => orgs.list(ctx))).result).toEqual([]);
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
    const net = await careSetUp();
    const lab2 = JSON.stringify({ mspId: 'Lab2MSP', type: 'lab', name: 'Second Lab' });
    await expectError(
      net.submit(identity('HospitalBMSP', 'admin'), (ctx) => orgs.upsert(ctx, lab2)),
      'ACCESS_DENIED',
    );
    const { result } = await net.submit(adminA, (ctx) => orgs.upsert(ctx, lab2));
    expect(result).toMatchObject({ mspId: 'Lab2MSP', type: 'lab' });
  });

  it('refuses a caller whose role is not one of its organisation type', async () => {
    const net = await careSetUp();
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
  it('refuses a birth date after the day of the registration, writing nothing', async () => {
    const net = await careSetUp();
    const before = net.snapshot();
    const tomorrow = new Date(Date.parse('2026-11-22T12:00:00Z') + 2 * 86_400_000).toISOString().slice(0, 10);
    await expectError(
      net.submit(nurseA, (ctx) => patients.register(ctx, 'p-2'), {
        transient: {
          demographics: JSON.stringify({ name: 'Early Bird', birthDate: tomorrow, sex: 'unknown' }),
        },
      }),
      'INVALID_ARGUMENT',
      `demographics.birthDate: ${tomorrow} is after today`,
    );
    expect(net.snapshot()).toBe(before);
  });

  it('keeps demographics, salted, only in the custodian implicit collection', async () => {
    const net = await careSetUp();
    const stored = net.ledger.privateData.get(implicitCollection(A))?.get(privateKeys.demographics('p-1'));
    const record = unmarshal<Record<string, unknown>>(stored!);
    expect(record).toMatchObject({ name: 'Ada Example', allergies: ['penicillin'] });
    expect(record.salt).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(publicText(net)).not.toMatch(/Ada|1980|penicillin/);
    const patient = unmarshal<Record<string, unknown>>(net.ledger.state.get(keys.patient(A, 'p-1'))!.value);
    expect(Object.keys(patient).sort()).toEqual(['createdAt', 'custodianMspId', 'patientId', 'status']);
  });

  it('salts every write afresh, so equal demographics give unequal private values', async () => {
    const net = await careSetUp();
    await net.submit(nurseA, (ctx) => patients.register(ctx, 'p-2'), { transient: { demographics } });
    const collection = net.ledger.privateData.get(implicitCollection(A))!;
    const one = collection.get(privateKeys.demographics('p-1'))!;
    const two = collection.get(privateKeys.demographics('p-2'))!;
    expect(one.equals(two)).toBe(false);
  });

  it('puts a key-level endorsement policy naming the custodian on the patient record', async () => {
    const net = await careSetUp();
    const policy = net.ledger.validationParameters.get(keys.patient(A, 'p-1'));
    const expected = new KeyEndorsementPolicy();
    expected.addOrgs('MEMBER', A);
    expect(Buffer.from(policy!)).toEqual(Buffer.from(expected.getPolicy()));
  });

  it('names patients within their custodian: another hospital may use the same id for its own patient', async () => {
    const net = await careSetUp();
    const other = JSON.stringify({ name: 'Bo Other', birthDate: '1990-01-01', sex: 'male' });
    await net.submit(nurseB, (ctx) => patients.register(ctx, 'p-1'), { transient: { demographics: other } });
    const { result: ours } = await net.evaluate(doctorA, (ctx) => patients.readDemographics(ctx, A, 'p-1'));
    const { result: theirs } = await net.evaluate(nurseB, (ctx) =>
      patients.readDemographics(ctx, 'HospitalBMSP', 'p-1'),
    );
    expect([ours.name, theirs.name]).toEqual(['Ada Example', 'Bo Other']);
    await expectError(
      net.evaluate(doctorA, (ctx) => patients.get(ctx, A, 'p-9')),
      'NOT_FOUND',
      'patient p-9 of HospitalAMSP',
    );
  });

  it('refuses a registration without demographics, a duplicate, and a lab caller, changing nothing', async () => {
    const net = await careSetUp();
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

  it("shows a patient its own summary and demographics, and no one else's", async () => {
    const net = await careSetUp();
    const { result } = await net.evaluate(patientA, (ctx) => patients.readDemographics(ctx, A, 'p-1'));
    expect(result.name).toBe('Ada Example');
    await expectError(
      net.evaluate(identity(A, 'patient', { patientId: 'p-2' }), (ctx) => patients.get(ctx, A, 'p-1')),
      'ACCESS_DENIED',
    );
  });

  it('lists the custodian patients in pages with bookmarks', async () => {
    const net = await careSetUp();
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
    const other = await net.evaluate(nurseB, (ctx) => patients.list(ctx, '10', ''));
    expect(other.result.records).toEqual([]);
    await expectError(
      net.evaluate(doctorA, (ctx) => patients.list(ctx, '10', 'bm90LWEtYm9va21hcms')),
      'INVALID_ARGUMENT',
      'bookmark',
    );
  });
});

describe('Devices', () => {
  it('keeps devices and their binding in the owner collection, answering with a receipt', async () => {
    const net = await careSetUp();
    const { result } = await net.submit(nurseA, (ctx) => devices.register(ctx), {
      transient: { device: JSON.stringify({ deviceId: 'dev-2', type: 'thermometer' }) },
    });
    expect(result).toMatchObject({ id: 'dev-2', custodianMspId: A, replayed: false, by: { role: 'nurse' } });
    expect(publicText(net)).not.toContain('dev-2');
    await net.submit(nurseA, (ctx) => devices.bind(ctx, 'dev-2', 'p-1'));
    const { result: device } = await net.evaluate(nurseA, (ctx) => devices.get(ctx, 'dev-2'));
    expect(device).toMatchObject({ deviceId: 'dev-2', patientId: 'p-1', type: 'thermometer' });
    await expectError(
      net.evaluate(nurseB, (ctx) => devices.get(ctx, 'dev-2')),
      'NOT_FOUND',
      'of HospitalBMSP',
    );
  });

  it('refuses a duplicate device, a binding to an unknown patient and a doctor binding', async () => {
    const net = await careSetUp();
    const before = net.snapshot();
    await expectError(
      net.submit(nurseA, (ctx) => devices.register(ctx), {
        transient: { device: JSON.stringify({ deviceId: 'dev-1', type: 'monitor' }) },
      }),
      'CONFLICT',
    );
    await expectError(
      net.submit(nurseA, (ctx) => devices.bind(ctx, 'dev-1', 'p-9')),
      'NOT_FOUND',
    );
    await expectError(
      net.submit(doctorA, (ctx) => devices.bind(ctx, 'dev-1', 'p-1')),
      'ACCESS_DENIED',
    );
    await expectError(
      net.submit(nurseA, (ctx) => devices.bind(ctx, 'dev-9', 'p-1')),
      'NOT_FOUND',
      'device dev-9',
    );
    expect(net.snapshot()).toBe(before);
  });
});

describe('Vitals', () => {
  it('records a reading from the bound device, answering a receipt and a replay without writing', async () => {
    const net = await careSetUp();
    const first = await net.submit(deviceA, (ctx) => vitals.record(ctx), {
      transient: { reading: heartRate('r-1', 72) },
    });
    expect(first.result).toMatchObject({
      id: 'r-1',
      patientId: 'p-1',
      custodianMspId: A,
      deviceId: 'dev-1',
      flag: 'normal',
      news2Score: 0,
      replayed: false,
    });
    expect(JSON.stringify(first.result)).not.toContain('72');
    const replay = await net.submit(deviceA, (ctx) => vitals.record(ctx), {
      transient: { reading: heartRate('r-1', 72) },
    });
    expect(replay.result).toEqual({ ...first.result, replayed: true });
    expect(replay.stub.hasWrites()).toBe(false);
    await expectError(
      net.submit(deviceA, (ctx) => vitals.record(ctx), { transient: { reading: heartRate('r-1', 73) } }),
      'CONFLICT',
      'different content',
    );
    const { result: stored } = await net.evaluate(doctorA, (ctx) => vitals.get(ctx, A, 'p-1', 'r-1'));
    expect(stored).toMatchObject({ value: 72, loinc: '8867-4', deviceId: 'dev-1', txId: first.result.txId });
    expect(publicText(net)).not.toContain('r-1');
  });

  it('raises one VitalAbnormal event, without values, listing every abnormal reading of a batch', async () => {
    const net = await careSetUp();
    const readings = JSON.stringify(
      [heartRate('r-1', 72), heartRate('r-2', 135), heartRate('r-3', 115)].map((r): unknown => JSON.parse(r)),
    );
    const { stub, result } = await net.submit(deviceA, (ctx) => vitals.recordBatch(ctx), {
      transient: { readings },
    });
    expect(result.map((r) => r.flag)).toEqual(['normal', 'critical', 'abnormal']);
    expect(stub.event?.name).toBe('VitalAbnormal');
    const payload = unmarshal<{ alerts: Record<string, unknown>[] }>(stub.event!.payload);
    expect(payload.alerts).toEqual([
      { patientId: 'p-1', custodianMspId: A, readingId: 'r-2', news2Score: 3, flag: 'critical' },
      { patientId: 'p-1', custodianMspId: A, readingId: 'r-3', news2Score: 2, flag: 'abnormal' },
    ]);
  });

  it('stores nothing of a batch with one bad reading', async () => {
    const net = await careSetUp();
    const before = net.snapshot();
    const readings = JSON.stringify([JSON.parse(heartRate('r-1', 72)), JSON.parse(heartRate('r-2', 500))]);
    await expectError(
      net.submit(deviceA, (ctx) => vitals.recordBatch(ctx), { transient: { readings } }),
      'INVALID_ARGUMENT',
      'readings.1.value',
    );
    expect(net.snapshot()).toBe(before);
  });

  it('refuses an unbound device, a device speaking for another, other hospitals and unknown patients', async () => {
    const net = await careSetUp();
    await net.submit(nurseA, (ctx) => devices.register(ctx), {
      transient: { device: JSON.stringify({ deviceId: 'dev-2', type: 'thermometer' }) },
    });
    const record = (who: typeof nurseA, reading: object) =>
      net.submit(who, (ctx) => vitals.record(ctx), {
        transient: { reading: JSON.stringify({ ...JSON.parse(heartRate('r-9', 70)), ...reading }) },
      });
    await expectError(record(identity(A, 'device', { deviceId: 'dev-2' }), {}), 'ACCESS_DENIED', 'not bound');
    await expectError(record(deviceA, { deviceId: 'dev-2' }), 'ACCESS_DENIED');
    // Hospital B's nurse records for Hospital B's own p-1, which does not exist.
    await expectError(record(nurseB, {}), 'NOT_FOUND', 'of HospitalBMSP');
    await expectError(record(nurseA, { patientId: 'nobody' }), 'NOT_FOUND');
  });

  it("attributes a nurse's reading only to a device of the custodian bound to that patient", async () => {
    const net = await careSetUp();
    // dev-2 registered but bound to no patient; hb-dev-1 is Hospital B's, unknown at Hospital A.
    await net.submit(nurseA, (ctx) => devices.register(ctx), {
      transient: { device: JSON.stringify({ deviceId: 'dev-2', type: 'thermometer' }) },
    });
    const before = net.snapshot();
    const record = (id: string, deviceId: string) =>
      net.submit(nurseA, (ctx) => vitals.record(ctx), {
        transient: { reading: JSON.stringify({ ...JSON.parse(heartRate(id, 70)), deviceId }) },
      });
    await expectError(
      record('r-20', 'hb-dev-1'),
      'NOT_FOUND',
      'device hb-dev-1 is not registered at HospitalAMSP',
    );
    await expectError(
      record('r-21', 'dev-2'),
      'PRECONDITION_FAILED',
      'device dev-2 is not bound to patient p-1',
    );
    expect(net.snapshot()).toBe(before);
    const { result } = await record('r-22', 'dev-1');
    expect(result).toMatchObject({ id: 'r-22', replayed: false });
  });

  it('queries by time range and type, a page at a time', async () => {
    const net = await careSetUp();
    for (let i = 0; i < 12; i++) {
      const at = new Date(Date.parse('2026-11-22T08:00:00.000Z') + i * 60_000).toISOString();
      const temperature = JSON.stringify({
        readingId: `t-${i}`,
        patientId: 'p-1',
        type: 'bodyTemperature',
        value: 37,
        unit: 'Cel',
        observedAt: at,
      });
      await net.submit(nurseA, (ctx) => vitals.record(ctx), {
        transient: { reading: heartRate(`hr-${i}`, 70 + i, at) },
      });
      await net.submit(nurseA, (ctx) => vitals.record(ctx), { transient: { reading: temperature } });
    }
    const q = (extra: object) => JSON.stringify({ patientId: 'p-1', ...extra });
    const window = await net.evaluate(doctorA, (ctx) =>
      vitals.query(ctx, q({ from: '2026-11-22T08:03:00Z', to: '2026-11-22T08:06:00Z', type: 'heartRate' })),
    );
    expect(window.result.records.map((r) => r.readingId)).toEqual(['hr-3', 'hr-4', 'hr-5']);
    const first = await net.evaluate(doctorA, (ctx) =>
      vitals.query(ctx, q({ type: 'bodyTemperature', pageSize: 5 })),
    );
    expect(first.result.records).toHaveLength(5);
    expect(first.result.bookmark).not.toBe('');
    const second = await net.evaluate(doctorA, (ctx) =>
      vitals.query(ctx, q({ type: 'bodyTemperature', pageSize: 5, bookmark: first.result.bookmark })),
    );
    expect(second.result.records[0]?.readingId).toBe('t-5');
    await expectError(
      net.evaluate(doctorA, (ctx) =>
        vitals.query(ctx, q({ from: '2026-11-22T09:00:00Z', to: '2026-11-22T08:00:00Z' })),
      ),
      'INVALID_ARGUMENT',
      'query.to',
    );
  });
});
