import { transactionCatalog, type TransactionName } from '@careledger/chaincode';
import { newCareLedger } from '../ledger/care-ledger';
import { FakeLedgerClient } from '../testing/fake-ledger-client';
import { routeTable, unexposedTransactions } from './route-table';

/** Any property of it is a string: enough for `invoke` to build its arguments. */
const anything = new Proxy({}, { get: (_t, p) => (p === 'toJSON' ? undefined : 'x') });

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
      await spec.invoke(
        newCareLedger(fake),
        { params: anything, query: {}, body: anything },
        {
          identity: 'i',
        },
      );
      expect(fake.calls.map((c) => c.transaction)).toEqual([spec.transaction]);
    },
  );

  it('has one route per method and path, creations answering 201', () => {
    const keys = routeTable.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routeTable.filter((x) => x.method === 'post')) expect(r.status).toBe(201);
  });
});
