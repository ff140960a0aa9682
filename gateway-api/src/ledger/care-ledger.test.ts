import { transactionCatalog, vitalSignOf } from '@careledger/contract';
import { FakeLedgerClient, fakeReceipt } from '../testing/fake-ledger-client';
import { decodePayload, newCareLedger } from './care-ledger';

const as = { identity: 'a-nurse', mspId: 'HospitalAMSP' };
const atA = { custodianMspId: 'HospitalAMSP', patientId: 'p-1' };
const reading = {
  readingId: 'r-1',
  patientId: 'p-1',
  type: 'bodyTemperature' as const,
  value: 39.37,
  unit: 'Cel',
  observedAt: '2026-11-22T09:59:00Z',
};

describe('CareLedger', () => {
  it('sends each call as its transaction, with the catalogue’s arguments, to the custodian’s peer', async () => {
    const fake = new FakeLedgerClient();
    const l = newCareLedger(fake);
    const page = { pageSize: 5, bookmark: 'bm' };
    await Promise.all([
      l.organizations.list(as),
      l.organizations.get(as, 'LabMSP'),
      l.organizations.upsert(as, { mspId: 'Lab2MSP', type: 'lab', name: 'Lab 2' }),
      l.patients.get(as, atA),
      l.patients.list(as, {}),
      l.patients.readDemographics(as, atA),
      l.devices.get(as, 'd-1'),
      l.vitals.get(as, atA, 'r-1'),
      l.vitals.query(as, { patientId: 'p-1' }),
      l.consents.get(as, 'p-1', 'c-1'),
      l.consents.list(as, 'p-1', page),
      l.consents.history(as, 'p-1', 'c-1'),
      l.labResults.query(as, atA, page),
      l.prescriptions.query(as, atA, page),
      l.prescriptions.history(as, atA, 'rx-1'),
      l.accessLog.list(as, 'p-1', page),
      l.accessLog.request(as, { custodianMspId: 'HospitalBMSP', patientId: 'p-7' }, 'vitals'),
    ]);
    for (const call of fake.calls) {
      const entry: { args: readonly string[]; endorseByCustodian?: boolean } =
        transactionCatalog[call.transaction];
      expect([call.transaction, call.args.length]).toEqual([call.transaction, entry.args.length]);
      expect(call.identity).toBe('a-nurse');
      if (entry.endorseByCustodian) {
        const expected = call.transaction === 'AccessLog:request' ? ['HospitalBMSP'] : ['HospitalAMSP'];
        expect([call.transaction, call.endorsingOrganizations]).toEqual([call.transaction, expected]);
      }
    }
    expect(fake.calls.find((c) => c.transaction === 'Consents:list')?.args).toEqual(['p-1', '5', 'bm']);
    expect(fake.calls.find((c) => c.transaction === 'Patients:list')?.args).toEqual(['', '']);
    expect(JSON.parse(fake.calls.find((c) => c.transaction === 'Vitals:query')?.args[0] ?? '')).toEqual({
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
    });
  });

  it('sends every patient-data input as transient data only, never as an argument', async () => {
    const fake = new FakeLedgerClient();
    fake.answer = (r) => (r.transaction === 'Vitals:recordBatch' ? [fakeReceipt(r)] : fakeReceipt(r));
    const l = newCareLedger(fake);
    const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' as const };
    await l.patients.register(as, 'p-9', demographics);
    await l.vitals.record(as, reading);
    await l.vitals.recordBatch(as, [reading]);
    await l.devices.register(as, { deviceId: 'd-1', type: 'thermometer', patientId: 'p-9' });
    await l.prescriptions.prescribe(as, {
      prescriptionId: 'rx-1',
      patientId: 'p-9',
      atc: 'C09AA05',
      medication: 'Ramipril 5 mg',
      dosage: '1 daily',
      quantity: 30,
    });
    expect(fake.calls.map((c) => [c.transaction, Object.keys(c.transient ?? {})])).toEqual([
      ['Patients:register', ['demographics']],
      ['Vitals:record', ['reading']],
      ['Vitals:recordBatch', ['readings']],
      ['Devices:register', ['device']],
      ['Prescriptions:prescribe', ['prescription']],
    ]);
    const args = JSON.stringify(fake.calls.map((c) => c.args));
    for (const secret of ['Ada', '39.37', 'Ramipril', 'thermometer']) expect(args).not.toContain(secret);
    expect(JSON.parse(fake.calls[0]?.transient?.demographics ?? '')).toEqual(demographics);
  });

  it('shows a write as the record composed from its input and the receipt, as the chaincode stores it', async () => {
    const fake = new FakeLedgerClient();
    fake.answer = (r) => fakeReceipt(r, { id: 'r-1', deviceId: 'd-1' });
    const answer = await newCareLedger(fake).vitals.record({ ...as, async: true }, reading);
    const receipt = fakeReceipt({ mspId: 'HospitalAMSP' }, { id: 'r-1', deviceId: 'd-1' });
    expect(answer.value).toEqual({ reading: vitalSignOf(reading, receipt as never), replayed: false });
    expect(answer.value.reading).toMatchObject({ value: 39.37, deviceId: 'd-1', flag: 'abnormal' });
    expect(fake.calls[0]).toMatchObject({
      identity: 'a-nurse',
      async: true,
      endorsingOrganizations: ['HospitalAMSP'],
    });
    expect(answer).toMatchObject({ pending: true, transactionId: 'a'.repeat(64) });

    // A replay is answered from the endorsement: the same record, no transaction.
    fake.answer = (r) => fakeReceipt(r, { id: 'r-1', replayed: true, deviceId: 'd-1' });
    const replay = await newCareLedger(fake).vitals.record({ ...as, async: true }, reading);
    expect(replay.value).toEqual({ reading: answer.value.reading, replayed: true });
    expect(replay).toMatchObject({ alreadyOnLedger: true, transactionId: undefined, pending: undefined });
  });
});

describe('decodePayload', () => {
  it('reads JSON, falls back to text, and empty as null', () => {
    expect(decodePayload(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodePayload(Buffer.from('HospitalAMSP'))).toBe('HospitalAMSP');
    expect(decodePayload(new Uint8Array())).toBeNull();
  });
});
