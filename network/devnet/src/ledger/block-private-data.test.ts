import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledger } from '@hyperledger/fabric-protos';
import { BlockPrivateDataWriter, readBlockPrivateData } from './block-private-data';
import { dbKeys } from './db-keys';
import { sha256 } from './key-order';
import { openLedgerDb, type LedgerDb } from './ledger-db';

import rwset = ledger.rwset;
import kvrwset = ledger.rwset.kvrwset;

const NS = 'basic';
const COLL = '_implicit_org_Org1MSP';

/** A private write set of `writes` (key → value) in one collection. */
function writeSet(writes: Record<string, string>): rwset.TxPvtReadWriteSet {
  const kv = new kvrwset.KVRWSet();
  kv.setWritesList(
    Object.entries(writes).map(([key, value]) => {
      const w = new kvrwset.KVWrite();
      w.setKey(key);
      w.setValue(Buffer.from(value));
      return w;
    }),
  );
  const coll = new rwset.CollectionPvtReadWriteSet();
  coll.setCollectionName(COLL);
  coll.setRwset(kv.serializeBinary());
  const ns = new rwset.NsPvtReadWriteSet();
  ns.setNamespace(NS);
  ns.setCollectionPvtRwsetList([coll]);
  const set = new rwset.TxPvtReadWriteSet();
  set.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
  set.setNsPvtRwsetList([ns]);
  return set;
}

/** Each stored transaction's writes as `key=value`, by transaction number. */
async function stored(db: LedgerDb, block: number): Promise<Record<number, string[]>> {
  const out: Record<number, string[]> = {};
  for (const [txNum, set] of await readBlockPrivateData(db, block)) {
    out[txNum] = set
      .getNsPvtRwsetList()
      .flatMap((ns) => ns.getCollectionPvtRwsetList())
      .flatMap((c) => kvrwset.KVRWSet.deserializeBinary(c.getRwset_asU8()).getWritesList())
      .map((w) => `${w.getKey()}=${Buffer.from(w.getValue_asU8()).toString()}`);
  }
  return out;
}

async function commit(db: LedgerDb, writer: BlockPrivateDataWriter): Promise<void> {
  await db.batch(writer.ops());
}

describe('BlockPrivateDataWriter', () => {
  let dir: string;
  let db: LedgerDb;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'block-private-'));
    db = await openLedgerDb(dir);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each valid transaction’s private write set by block and transaction', async () => {
    const writer = new BlockPrivateDataWriter(db, 1);
    writer.add(0, writeSet({ a: '1', b: '2' }));
    writer.add(3, writeSet({ c: '3' }));
    await commit(db, writer);
    expect(await stored(db, 1)).toEqual({ 0: ['a=1', 'b=2'], 3: ['c=3'] });
    expect(await stored(db, 2)).toEqual({});
  });

  it('purges a key from every earlier version, in earlier blocks and earlier in its own block, and keeps later writes', async () => {
    const first = new BlockPrivateDataWriter(db, 1);
    first.add(0, writeSet({ k: 'v1', other: 'x' }));
    first.add(1, writeSet({ k: 'v2' }));
    await commit(db, first);

    const second = new BlockPrivateDataWriter(db, 2);
    second.add(0, writeSet({ k: 'v3' }));
    await second.purge(NS, COLL, sha256(Buffer.from('k')));
    second.add(2, writeSet({ k: 'v4' }));
    await commit(db, second);

    expect(await stored(db, 1)).toEqual({ 0: ['other=x'] });
    expect(await stored(db, 2)).toEqual({ 2: ['k=v4'] });
    // Only the write after the purge is still indexed, so a later purge finds just that one.
    const index: string[] = [];
    const prefix = dbKeys.privateWritePrefix(NS, COLL, sha256(Buffer.from('k')));
    for await (const key of db.keys({ gt: prefix, lt: Buffer.concat([prefix, Buffer.alloc(12, 0xff)]) })) {
      index.push(`${key.readBigUInt64BE(prefix.length)}/${key.readUInt32BE(prefix.length + 8)}`);
    }
    expect(index).toEqual(['2/2']);
  });
});
