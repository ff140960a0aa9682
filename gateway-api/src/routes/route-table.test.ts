import { transactionCatalog, type TransactionName } from '@careledger/contract';
import { newCareLedger } from '../ledger/care-ledger';
import { FakeLedgerClient, fakeReceipt } from '../testing/fake-ledger-client';
import { routeTable, unexposedTransactions } from './route-table';

/** Any property of it is a string (a time for times): enough for `invoke` to build its arguments. */
const anything = new Proxy(
  {},
  {
    get: (_t, p) =>
      p === 'toJSON' ? undefined : /At$|^valid/.test(String(p)) ? '2026-11-22T10:00:00Z' : 'x',
  },
);

const reading = {
  readingId: 'r-1',
  patientId: 'p-1',
  type: 'heartRate',
  value: 70,
  unit: '/min',
  observedAt: '2026-11-22T09:59:00Z',
};
/** Bodies the facade composes a record from, which must be valid readings. */
const bodies: Record<string, unknown> = {
  '/vitals': reading,
  '/vitals/batch': { readings: [reading] },
  '/vitals/signed': { payload: JSON.stringify({ ...reading, deviceId: 'd-1' }), signature: 'AA==' },
};

/** What a facade call may run besides its transaction: the record as stored after a write. */
const readsAfterWrite: Partial<Record<TransactionName, TransactionName>> = {
  'Devices:bind': 'Devices:get',
  'Consents:revoke': 'Consents:get',
};

describe('routeTable', () => {
  it('exposes every transaction of the chaincode catalogue, except the ones listed as not exposed', () => {
    const exposed = new Set<TransactionName>(routeTable.map((r) => r.transaction));
    for (const name of Object.keys(transactionCatalog) as TransactionName[]) {
      expect([name, exposed.has(name) || unexposedTransactions.includes(name)]).toEqual([name, true]);
    }
  });

  it.each(routeTable.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s runs exactly the transaction it declares',
    async (_name, spec) => {
      const fake = new FakeLedgerClient();
      fake.answer = (r) =>
        r.transaction === 'Vitals:recordBatch'
          ? [fakeReceipt(r)]
          : r.transaction === 'Vitals:recordSigned'
            ? [{ readingId: 'r-1', receipt: fakeReceipt(r) }]
            : r.transaction === 'Vitals:acknowledge'
              ? fakeReceipt(r, { patientId: 'p-1', news2Score: 3, flag: 'critical' })
              : fakeReceipt(r);
      await spec.invoke(
        newCareLedger(fake),
        { params: anything, query: {}, body: bodies[spec.path] ?? anything },
        { identity: 'i', mspId: 'HospitalAMSP' },
      );
      const after = readsAfterWrite[spec.transaction];
      expect(fake.calls.map((c) => c.transaction)).toEqual([spec.transaction, ...(after ? [after] : [])]);
    },
  );

  it('has one route per method and path, creations answering 201', () => {
    const keys = routeTable.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routeTable.filter((x) => x.method === 'post')) expect(r.status).toBe(201);
  });
});
