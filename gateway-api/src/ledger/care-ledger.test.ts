import { transactionCatalog } from '@careledger/chaincode';
import { FakeLedgerClient } from '../testing/fake-ledger-client';
import { decodePayload, newCareLedger } from './care-ledger';

const as = { identity: 'a-nurse' };

describe('CareLedger', () => {
  it('sends each call as its transaction, with the catalogue’s number of arguments', async () => {
    const fake = new FakeLedgerClient();
    const l = newCareLedger(fake);
    const page = { pageSize: 5, bookmark: 'bm' };
    await Promise.all([
      l.organizations.list(as),
      l.organizations.get(as, 'LabMSP'),
      l.organizations.upsert(as, { mspId: 'Lab2MSP', type: 'lab', name: 'Lab 2' }),
      l.patients.get(as, 'p-1'),
      l.patients.custodianOf(as, 'p-1'),
      l.patients.list(as, {}),
      l.patients.readDemographics(as, 'p-1'),
      l.devices.bind(as, 'd-1', 'p-1'),
      l.devices.get(as, 'd-1'),
      l.vitals.get(as, 'p-1', 'r-1'),
      l.vitals.query(as, { patientId: 'p-1' }),
      l.consents.revoke(as, 'p-1', 'c-1'),
      l.consents.list(as, 'p-1', page),
      l.consents.history(as, 'p-1', 'c-1'),
      l.labResults.query(as, 'p-1', page),
      l.prescriptions.query(as, 'p-1', page),
      l.prescriptions.history(as, 'p-1', 'rx-1'),
      l.accessLog.list(as, 'p-1', page),
    ]);
    for (const call of fake.calls) {
      expect(call.args).toHaveLength(transactionCatalog[call.transaction].args.length);
      expect(call.identity).toBe('a-nurse');
    }
    expect(fake.calls.find((c) => c.transaction === 'Consents:list')?.args).toEqual(['p-1', '5', 'bm']);
    expect(fake.calls.find((c) => c.transaction === 'Patients:list')?.args).toEqual(['', '']);
  });

  it('sends demographics as transient data only', async () => {
    const fake = new FakeLedgerClient();
    const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' as const };
    await newCareLedger(fake).patients.register(as, 'p-9', demographics);
    expect(fake.calls[0]).toMatchObject({ transaction: 'Patients:register', args: ['p-9'] });
    expect(JSON.parse(fake.calls[0]?.transient?.demographics ?? '')).toEqual(demographics);
    expect(JSON.stringify(fake.calls[0]?.args)).not.toContain('Ada');
  });

  it('passes the call options through and decodes the answer with its transaction', async () => {
    const fake = new FakeLedgerClient();
    fake.answer = () => ({ replayed: false });
    const answer = await newCareLedger(fake).vitals.record(
      { identity: 'dev', async: true, endorsingOrganizations: ['HospitalAMSP'] },
      { readingId: 'r', patientId: 'p', type: 'heartRate', value: 70, unit: '/min', observedAt: 'x' },
    );
    expect(fake.calls[0]).toMatchObject({
      identity: 'dev',
      async: true,
      endorsingOrganizations: ['HospitalAMSP'],
    });
    expect(answer).toMatchObject({
      value: { replayed: false },
      pending: true,
      transactionId: 'a'.repeat(64),
    });
  });
});

describe('decodePayload', () => {
  it('reads JSON, falls back to text, and empty as null', () => {
    expect(decodePayload(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodePayload(Buffer.from('HospitalAMSP'))).toBe('HospitalAMSP');
    expect(decodePayload(new Uint8Array())).toBeNull();
  });
});
