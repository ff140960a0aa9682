import { createHash } from 'node:crypto';
import type { Iterators } from 'fabric-shim-api';
import { FakeLedger } from './fake-ledger';
import { FakeStub, PAGINATED_WRITE_ERROR } from './fake-stub';

// The fake must answer as fabric-shim 2.5 over a Fabric 2.5 peer does (as observed on a real
// Fabric 2.5.5 network), or contract tests prove nothing.

let txCount = 0;
function stubOn(ledger: FakeLedger, extra: Partial<ConstructorParameters<typeof FakeStub>[1]> = {}) {
  txCount += 1;
  return new FakeStub(ledger, {
    txId: `t${txCount}`,
    timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, txCount)),
    mspId: 'HospitalAMSP',
    ...extra,
  });
}

async function commitOne(ledger: FakeLedger, write: (stub: FakeStub) => Promise<void>): Promise<void> {
  const stub = stubOn(ledger);
  await write(stub);
  ledger.commit(stub.writes());
}

async function drain(iterator: { next(): Promise<{ value: Iterators.KV; done: boolean }> }) {
  const keys: string[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(r.value.key);
  return keys;
}

describe('FakeStub', () => {
  it('reads committed state only (no read-your-writes) and treats an empty value as a delete', async () => {
    const ledger = new FakeLedger();
    const stub = stubOn(ledger);
    await stub.putState('k', Buffer.from('v'));
    expect(Buffer.from(await stub.getState('k'))).toHaveLength(0);
    ledger.commit(stub.writes());
    expect(Buffer.from(await stubOn(ledger).getState('k')).toString()).toBe('v');
    await commitOne(ledger, (s) => s.putState('k', Buffer.alloc(0)));
    expect(ledger.state.has('k')).toBe(false);
  });

  it('serves pages of 10, 10 and 5 with the next key as bookmark and "" after the last', async () => {
    const ledger = new FakeLedger();
    await commitOne(ledger, async (s) => {
      for (let i = 0; i < 25; i += 1) {
        await s.putState(s.createCompositeKey('item', [String(i).padStart(2, '0')]), Buffer.from('x'));
      }
    });
    const counts: number[] = [];
    let bookmark = '';
    do {
      const { iterator, metadata } = await stubOn(ledger).getStateByPartialCompositeKeyWithPagination(
        'item',
        [],
        10,
        bookmark,
      );
      expect(await drain(iterator)).toHaveLength(metadata.fetchedRecordsCount);
      counts.push(metadata.fetchedRecordsCount);
      bookmark = metadata.bookmark;
    } while (bookmark !== '');
    expect(counts).toEqual([10, 10, 5]);
  });

  it('forbids a write after a paginated query and a paginated query after a write, with Fabric wording', async () => {
    const ledger = new FakeLedger();
    const reader = stubOn(ledger);
    await reader.getStateByRangeWithPagination('a', 'z', 5);
    await expect(reader.putState('a', Buffer.from('1'))).rejects.toThrow(PAGINATED_WRITE_ERROR);
    const writer = stubOn(ledger);
    await writer.putState('a', Buffer.from('1'));
    await expect(writer.getStateByRangeWithPagination('a', 'z', 5)).rejects.toThrow(
      'Transaction has already performed a write. Paginated queries are not allowed',
    );
  });

  it('keeps composite keys out of plain ranges and refuses range bounds in their namespace', async () => {
    const ledger = new FakeLedger();
    const stub = stubOn(ledger);
    const composite = stub.createCompositeKey('vital', ['p-1', '2026']);
    expect(composite).toBe('\u0000vital\u0000p-1\u00002026\u0000');
    expect(stub.splitCompositeKey(composite)).toEqual({ objectType: 'vital', attributes: ['p-1', '2026'] });
    expect(() => stub.createCompositeKey('vital', [''])).toThrow('non-zero length string');
    await commitOne(ledger, async (s) => {
      await s.putState(composite, Buffer.from('c'));
      await s.putState('plain', Buffer.from('p'));
    });
    expect(await drain(await stubOn(ledger).getStateByRange('', ''))).toEqual(['plain']);
    expect(await drain(await stubOn(ledger).getStateByPartialCompositeKey('vital', ['p-1']))).toEqual([
      composite,
    ]);
    await expect(stubOn(ledger).getStateByRange('\u0000vital', '')).rejects.toThrow('null character');
  });

  it('orders range results by UTF-8 bytes, start included and end excluded, and is async-iterable', async () => {
    const ledger = new FakeLedger();
    await commitOne(ledger, async (s) => {
      for (const k of ['b', 'a', '\u{1F600}', '\uFFFD', 'c']) await s.putState(k, Buffer.from(k));
    });
    const seen: string[] = [];
    for await (const kv of stubOn(ledger).getStateByRange('a', 'c')) seen.push(kv.key);
    expect(seen).toEqual(['a', 'b']);
    expect(await drain(await stubOn(ledger).getStateByRange('c', ''))).toEqual(['c', '\uFFFD', '\u{1F600}']);
  });

  it('keeps the last event of a transaction', () => {
    const stub = stubOn(new FakeLedger());
    stub.setEvent('First', Buffer.from('1'));
    stub.setEvent('Second', Buffer.from('2'));
    expect(stub.event?.name).toBe('Second');
    expect(() => stub.setEvent('', Buffer.alloc(0))).toThrow('non-empty string');
  });

  it('stores private data per collection and answers its SHA-256 hash to anyone', async () => {
    const ledger = new FakeLedger();
    await commitOne(ledger, (s) =>
      s.putPrivateData('_implicit_org_HospitalAMSP', 'p-1', Buffer.from('secret')),
    );
    const other = stubOn(ledger, { mspId: 'HospitalBMSP' });
    expect(Buffer.from(await other.getPrivateDataHash('_implicit_org_HospitalAMSP', 'p-1'))).toEqual(
      createHash('sha256').update('secret').digest(),
    );
    expect(Buffer.from(await other.getPrivateData('_implicit_org_HospitalBMSP', 'p-1'))).toHaveLength(0);
    await expect(other.getPrivateData('', 'p-1')).rejects.toThrow('collection must be a valid string');
  });

  it('applies state validation parameters at commit and drops them with the key', async () => {
    const ledger = new FakeLedger();
    const stub = stubOn(ledger);
    await stub.putState('k', Buffer.from('v'));
    await stub.setStateValidationParameter('k', Buffer.from('policy'));
    expect(Buffer.from(await stub.getStateValidationParameter('k'))).toHaveLength(0);
    ledger.commit(stub.writes());
    expect(Buffer.from(await stubOn(ledger).getStateValidationParameter('k')).toString()).toBe('policy');
    await commitOne(ledger, (s) => s.deleteState('k'));
    expect(Buffer.from(await stubOn(ledger).getStateValidationParameter('k'))).toHaveLength(0);
  });

  it('answers history newest first, a delete with an empty value, every entry with a timestamp', async () => {
    const ledger = new FakeLedger();
    await commitOne(ledger, (s) => s.putState('k', Buffer.from('one')));
    await commitOne(ledger, (s) => s.putState('k', Buffer.from('two')));
    await commitOne(ledger, (s) => s.deleteState('k'));
    const iterator = await stubOn(ledger).getHistoryForKey('k');
    const entries: { value: string; isDelete: boolean; seconds: number }[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      entries.push({
        value: Buffer.from(r.value.value).toString(),
        isDelete: r.value.isDelete,
        seconds: Number(r.value.timestamp.seconds),
      });
    }
    expect(entries.map((e) => [e.value, e.isDelete])).toEqual([
      ['', true],
      ['two', false],
      ['one', false],
    ]);
    expect(entries.every((e) => e.seconds > 0)).toBe(true);
  });

  it('gives the transient map, the creator and the arguments of the invocation', () => {
    const stub = stubOn(new FakeLedger(), {
      transient: new Map([['demographics', Buffer.from('{}')]]),
      creatorPem: '-----BEGIN CERTIFICATE-----',
      args: ['Vitals:record', '{"x":1}'],
    });
    expect(Buffer.from(stub.getTransient().get('demographics')!).toString()).toBe('{}');
    expect(stub.getCreator()).toEqual({
      mspid: 'HospitalAMSP',
      idBytes: Buffer.from('-----BEGIN CERTIFICATE-----'),
    });
    expect(stub.getFunctionAndParameters()).toEqual({ fcn: 'Vitals:record', params: ['{"x":1}'] });
  });
});
