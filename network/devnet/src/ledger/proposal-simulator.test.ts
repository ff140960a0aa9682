import { createHash } from 'node:crypto';
import { ledger as protos, peer } from '@hyperledger/fabric-protos';
import {
  CC,
  commitCodes,
  createTestNetwork,
  endorse,
  openTestLedger,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../testing/ledger-test-env';
import type { DevnetLedger } from './level-ledger';
import type { KeyValue } from './tx-simulator';

import kvrwset = protos.rwset.kvrwset;

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest();

function decode(bytes: Buffer) {
  const set = protos.rwset.TxReadWriteSet.deserializeBinary(bytes);
  return set.getNsRwsetList().map((ns) => ({
    namespace: ns.getNamespace(),
    kv: kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()),
    collections: ns.getCollectionHashedRwsetList().map((c) => ({
      name: c.getCollectionName(),
      hashed: kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8()),
      pvtHash: Buffer.from(c.getPvtRwsetHash_asU8()),
    })),
  }));
}

async function drain(it: AsyncIterator<KeyValue>): Promise<string[]> {
  const keys: string[] = [];
  for (let r = await it.next(); r.done !== true; r = await it.next()) keys.push(r.value.key);
  return keys;
}

describe('ProposalSimulator', () => {
  let net: TestNetwork;
  let dir: string;
  let ledger: DevnetLedger;

  beforeAll(async () => {
    net = await createTestNetwork();
  });
  beforeEach(async () => {
    dir = tempDataDir();
    ledger = await openTestLedger(net, dir);
  });
  afterEach(async () => {
    await ledger.close();
    removeDir(dir);
  });

  const seed = async (entries: Record<string, string>) => {
    const tx = await endorse(net, ledger, async (sim, ns) => {
      for (const [k, v] of Object.entries(entries)) await sim.putState(ns, k, Buffer.from(v));
    });
    expect(await commitCodes(ledger, tx)).toEqual([0]);
  };

  describe('done', () => {
    it('records the _lifecycle definition read, sorted namespaces and keys, one entry per key', async () => {
      await seed({ b: '1' });
      const sim = ledger.newSimulator('tx1', { chaincodeName: CC });
      await sim.putState(CC, 'z', Buffer.from('1'));
      await sim.putState(CC, 'a', Buffer.from('1'));
      await sim.putState(CC, 'a', Buffer.from('2'));
      await sim.getState(CC, 'b');
      await sim.getState(CC, 'b');
      await sim.getState(CC, 'absent');
      await sim.putState('Other', 'k', Buffer.from('x'));
      const sets = decode(sim.done());
      expect(sets.map((s) => s.namespace)).toEqual(['Other', '_lifecycle', CC]);
      const lifecycle = sets[1]?.kv.getReadsList() ?? [];
      expect(lifecycle.map((r) => r.getKey())).toEqual([`namespaces/fields/${CC}/Sequence`]);
      expect(lifecycle[0]?.getVersion()?.getBlockNum()).toBe(0);
      const basic = sets[2]?.kv;
      expect(basic?.getReadsList().map((r) => [r.getKey(), r.getVersion()?.getBlockNum()])).toEqual([
        ['absent', undefined],
        ['b', 1],
      ]);
      expect(
        basic?.getWritesList().map((w) => [w.getKey(), Buffer.from(w.getValue_asU8()).toString()]),
      ).toEqual([
        ['a', '2'],
        ['z', '1'],
      ]);
    });

    it('orders keys by UTF-8 bytes, not UTF-16 code units', async () => {
      const sim = ledger.newSimulator('tx-order');
      const supplementary = '\u{1F600}'; // UTF-16 D83D…, UTF-8 F0…
      const bmpHigh = '\uFF21'; // UTF-16 FF21, UTF-8 EF…
      await sim.putState(CC, supplementary, Buffer.from('1'));
      await sim.putState(CC, bmpHigh, Buffer.from('1'));
      expect(
        decode(sim.done())[0]
          ?.kv.getWritesList()
          .map((w) => w.getKey()),
      ).toEqual([bmpHigh, supplementary]);
    });

    it('turns an empty value into a delete and sees no writes of its own transaction', async () => {
      await seed({ k: 'committed' });
      const sim = ledger.newSimulator('tx2');
      await sim.putState(CC, 'k', Buffer.alloc(0));
      await sim.putState(CC, 'new', Buffer.from('v'));
      expect((await sim.getState(CC, 'k'))?.toString()).toBe('committed');
      expect(await sim.getState(CC, 'new')).toBeUndefined();
      const writes = decode(sim.done())[0]?.kv.getWritesList() ?? [];
      expect(writes.map((w) => [w.getKey(), w.getIsDelete()])).toEqual([
        ['k', true],
        ['new', false],
      ]);
    });

    it('refuses an undefined chaincode with Fabric wording', () => {
      expect(() => ledger.newSimulator('tx3', { chaincodeName: 'nope' })).toThrow(
        'make sure the chaincode nope has been successfully defined on channel healthchannel and try again',
      );
    });

    it('may be called only once', () => {
      const sim = ledger.newSimulator('tx4');
      sim.done();
      expect(() => sim.done()).toThrow('only be called once');
    });
  });

  describe('getStateByRange', () => {
    beforeEach(() => seed({ a: '1', b: '2', c: '3', d: '4' }));

    it('records an exhausted range with the requested end key and raw reads', async () => {
      const sim = ledger.newSimulator('r1');
      expect(await drain(sim.getStateByRange(CC, 'a', 'd'))).toEqual(['a', 'b', 'c']);
      const info = decode(sim.done())[0]?.kv.getRangeQueriesInfoList()[0];
      expect(info?.getStartKey()).toBe('a');
      expect(info?.getEndKey()).toBe('d');
      expect(info?.getItrExhausted()).toBe(true);
      expect(
        info
          ?.getRawReads()
          ?.getKvReadsList()
          .map((r) => r.getKey()),
      ).toEqual(['a', 'b', 'c']);
    });

    it('records the last consumed key as end key when the chaincode stops early', async () => {
      const sim = ledger.newSimulator('r2');
      const it = sim.getStateByRange(CC, 'a', '');
      await it.next();
      await it.next();
      const info = decode(sim.done())[0]?.kv.getRangeQueriesInfoList()[0];
      expect([info?.getEndKey(), info?.getItrExhausted()]).toEqual(['b', false]);
    });
  });

  describe('getStateByRangeWithPagination', () => {
    beforeEach(async () => {
      const entries: Record<string, string> = {};
      for (let i = 0; i < 25; i += 1)
        entries[`\u0000vital\u0000p1\u0000${String(i).padStart(2, '0')}\u0000`] = `${i}`;
      await seed(entries);
    });

    it('returns pages of 10, 10 and 5 with the next key as bookmark and "" at the end', async () => {
      const start = '\u0000vital\u0000p1\u0000';
      const end = `${start}\u{10FFFF}`;
      const pages: number[] = [];
      let bookmark = '';
      const bookmarks: string[] = [];
      do {
        const sim = ledger.newSimulator(`page-${pages.length}`);
        const page = await sim.getStateByRangeWithPagination(CC, start, end, 10, bookmark);
        pages.push(page.results.length);
        bookmark = page.bookmark;
        bookmarks.push(bookmark);
        sim.done();
      } while (bookmark !== '');
      expect(pages).toEqual([10, 10, 5]);
      expect(bookmarks).toEqual([`${start}10\u0000`, `${start}20\u0000`, '']);
    });

    it('refuses a write after a paginated query with Fabric’s own message', async () => {
      const sim = ledger.newSimulator('pw');
      await sim.getStateByRangeWithPagination(CC, '', '', 5, '');
      await expect(sim.putState(CC, 'k', Buffer.from('v'))).rejects.toThrow(
        'txid [pw]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
      );
    });

    it('refuses a paginated query after a write', async () => {
      const sim = ledger.newSimulator('wp');
      await sim.putState(CC, 'k', Buffer.from('v'));
      await expect(sim.getStateByRangeWithPagination(CC, '', '', 5, '')).rejects.toThrow(
        'unsuppored transaction. Paginated queries are supported only in a read-only transaction',
      );
    });
  });

  describe('getHistoryForKey', () => {
    it('returns modifications newest first with the transactions’ timestamps', async () => {
      const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s, 250));
      for (const [value, s] of [
        ['one', 1],
        ['two', 2],
      ] as const) {
        await commitCodes(
          ledger,
          await endorse(net, ledger, (sim, ns) => sim.putState(ns, 'h', Buffer.from(value)), {
            timestamp: t(s),
          }),
        );
      }
      const del = await endorse(net, ledger, (sim, ns) => sim.deleteState(ns, 'h'), { timestamp: t(3) });
      await commitCodes(ledger, del);
      const history = await ledger.newSimulator('hist').getHistoryForKey(CC, 'h');
      expect(
        history.map((m) => [m.value.toString(), m.isDelete, m.timestamp.seconds, m.timestamp.nanos]),
      ).toEqual([
        ['', true, t(3).getTime() / 1000 - 0.25, 250_000_000],
        ['two', false, t(2).getTime() / 1000 - 0.25, 250_000_000],
        ['one', false, t(1).getTime() / 1000 - 0.25, 250_000_000],
      ]);
      expect(history[0]?.txId).toBe(del.txId);
    });

    it('leaves out writes of invalid transactions', async () => {
      const tx = await endorse(net, ledger, (sim, ns) => sim.putState(ns, 'x', Buffer.from('1')), {
        endorsers: [net.peers.A],
      });
      expect(await commitCodes(ledger, tx)).toEqual([peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE]);
      expect(await ledger.newSimulator('h2').getHistoryForKey(CC, 'x')).toEqual([]);
      expect(await ledger.newSimulator('h3').getState(CC, 'x')).toBeUndefined();
    });
  });

  describe('private data', () => {
    const coll = '_implicit_org_AMSP';

    it('puts hashes of key and value in the public rwset and the value in private state after commit', async () => {
      const sim = ledger.newSimulator('pd1');
      await sim.putPrivateData(CC, coll, 'p1', Buffer.from('secret'));
      const set = decode(sim.done())[0];
      const hashed = set?.collections[0];
      expect(hashed?.name).toBe(coll);
      const write = hashed?.hashed.getHashedWritesList()[0];
      expect(Buffer.from(write?.getKeyHash_asU8() ?? [])).toEqual(sha('p1'));
      expect(Buffer.from(write?.getValueHash_asU8() ?? [])).toEqual(sha('secret'));
      expect(hashed?.pvtHash.length).toBe(32);

      const tx = await endorse(
        net,
        ledger,
        (s, ns) => s.putPrivateData(ns, coll, 'p1', Buffer.from('secret')),
        {
          endorsers: [net.peers.A],
        },
      );
      expect(await commitCodes(ledger, tx)).toEqual([0]);
      const reader = ledger.newSimulator('pd2', { endorserMspId: 'AMSP' });
      expect((await reader.getPrivateData(CC, coll, 'p1'))?.toString()).toBe('secret');
      expect(await reader.getPrivateDataHash(CC, coll, 'p1')).toEqual(sha('secret'));
    });

    it('fails a read through another organisation’s peer but answers the hash there', async () => {
      const tx = await endorse(
        net,
        ledger,
        (s, ns) => s.putPrivateData(ns, coll, 'p1', Buffer.from('secret')),
        {
          endorsers: [net.peers.A],
        },
      );
      await commitCodes(ledger, tx);
      const other = ledger.newSimulator('pd3', { endorserMspId: 'BMSP' });
      await expect(other.getPrivateData(CC, coll, 'p1')).rejects.toThrow(
        'private data matching public hash version is not available. Public hash version = {BlockNum: 1, TxNum: 0}, Private data version = <nil>',
      );
      expect(await other.getPrivateDataHash(CC, coll, 'p1')).toEqual(sha('secret'));
      expect(await other.getPrivateData(CC, coll, 'never')).toBeUndefined();
    });

    it("refuses a collection the chaincode does not have, in the words of Fabric's handler and simulator", async () => {
      const sim = ledger.newSimulator('pd4');
      await expect(sim.putPrivateData(CC, 'collectionMarbles', 'k', Buffer.from('v'))).rejects.toThrow(
        'collection healthchannel/basic/collectionMarbles could not be found',
      );
      await expect(sim.getPrivateDataHash(CC, 'collectionMarbles', 'k')).rejects.toThrow(
        'collection [collectionMarbles] not defined in the collection config for chaincode [basic]',
      );
      // The collection store sets up an implicit collection for any MSP ID; the simulator refuses it.
      await expect(sim.getPrivateData(CC, '_implicit_org_NoSuchMSP', 'k')).rejects.toThrow(
        'collection [_implicit_org_NoSuchMSP] not defined in the collection config for chaincode [basic]',
      );
    });

    it('refuses writes after a private range query', async () => {
      const sim = ledger.newSimulator('pd5');
      await drain(sim.getPrivateDataByRange(CC, coll, '', ''));
      await expect(sim.putState(CC, 'k', Buffer.from('v'))).rejects.toThrow(
        'Transaction has already performed queries on pvt data. Writes are not allowed',
      );
    });
  });
});
