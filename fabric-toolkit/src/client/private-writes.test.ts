import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { privateWritesOf } from './private-writes';

function envelope(txId: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function privateSet(
  namespace: string,
  collection: string,
  writes: { key: string; value?: string; del?: boolean }[],
): ledger.rwset.TxPvtReadWriteSet {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  for (const w of writes) {
    const write = new ledger.rwset.kvrwset.KVWrite();
    write.setKey(w.key);
    write.setIsDelete(w.del === true);
    if (w.value !== undefined) write.setValue(Buffer.from(w.value));
    kv.addWrites(write);
  }
  const coll = new ledger.rwset.CollectionPvtReadWriteSet();
  coll.setCollectionName(collection);
  coll.setRwset(kv.serializeBinary());
  const ns = new ledger.rwset.NsPvtReadWriteSet();
  ns.setNamespace(namespace);
  ns.addCollectionPvtRwset(coll);
  const set = new ledger.rwset.TxPvtReadWriteSet();
  set.addNsPvtRwset(ns);
  return set;
}

function delivered(
  number: number,
  codes: number[],
  sets: Record<number, ledger.rwset.TxPvtReadWriteSet>,
): peer.BlockAndPrivateData {
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  block.setHeader(header);
  const data = new common.BlockData();
  codes.forEach((_, i) => data.addData(envelope(String(i).repeat(64).slice(0, 64))));
  block.setData(data);
  const metadata = new common.BlockMetadata();
  const list: Uint8Array[] = [new Uint8Array(), new Uint8Array(), Uint8Array.from(codes)];
  metadata.setMetadataList(list);
  block.setMetadata(metadata);
  const answer = new peer.BlockAndPrivateData();
  answer.setBlock(block);
  const map = answer.getPrivateDataMapMap() as unknown as {
    set(key: number, value: ledger.rwset.TxPvtReadWriteSet): void;
  };
  for (const [txNum, set] of Object.entries(sets)) map.set(Number(txNum), set);
  return answer;
}

describe('privateWritesOf', () => {
  it("answers the chaincode's writes of valid transactions in order, with their transaction ids", () => {
    const answer = delivered(9, [0, 0, 0], {
      2: privateSet('careledger', '_implicit_org_A', [{ key: 'k2', value: 'two' }]),
      0: privateSet('careledger', '_implicit_org_A', [
        { key: 'k0', value: 'zero' },
        { key: 'gone', del: true },
      ]),
      1: privateSet('other', '_implicit_org_A', [{ key: 'k1', value: 'one' }]),
    });
    const { blockNumber, writes } = privateWritesOf(answer, 'careledger');
    expect(blockNumber).toBe(9n);
    expect(
      writes.map((w) => [w.transactionId, w.collection, w.key, Buffer.from(w.value).toString()]),
    ).toEqual([
      ['0'.repeat(64), '_implicit_org_A', 'k0', 'zero'],
      ['2'.repeat(64), '_implicit_org_A', 'k2', 'two'],
    ]);
  });

  it('leaves out a transaction the block marks invalid', () => {
    const answer = delivered(3, [11, 0], {
      0: privateSet('careledger', 'c', [{ key: 'a', value: 'x' }]),
      1: privateSet('careledger', 'c', [{ key: 'b', value: 'y' }]),
    });
    expect(privateWritesOf(answer, 'careledger').writes.map((w) => w.key)).toEqual(['b']);
  });
});
