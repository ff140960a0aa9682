import { ClassicLevel } from 'classic-level';
import { common } from '@hyperledger/fabric-protos';
import {
  CC,
  commitCodes,
  createTestNetwork,
  endorse,
  openTestLedger,
  put,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../testing/ledger-test-env';
import { blockDataHash, blockHeaderHash } from './block-hash';
import { dbKeys } from './db-keys';
import { LedgerCorruptError } from './block-store';
import { LedgerLockedError } from './ledger-db';
import type { TxSimulator } from './tx-simulator';

describe('openLedger', () => {
  let net: TestNetwork;
  let dir: string;

  beforeAll(async () => {
    net = await createTestNetwork();
  });
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => removeDir(dir));

  async function ledgerWithBlocks(count: number): Promise<string[]> {
    const ledger = await openTestLedger(net, dir);
    const txIds: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const tx = await endorse(net, ledger, put(`k${i}`, `v${i}`));
      await commitCodes(ledger, tx);
      txIds.push(tx.txId);
    }
    await ledger.close();
    return txIds;
  }

  async function withRawDb(change: (db: ClassicLevel<Buffer, Buffer>) => Promise<void>): Promise<void> {
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    await change(db);
    await db.close();
  }

  it('keeps blocks, state, history and transaction statuses across a restart', async () => {
    const txIds = await ledgerWithBlocks(3);
    const ledger = await openTestLedger(net, dir);
    try {
      expect(ledger.height()).toBe(4n);
      const sim = ledger.newSimulator('after-restart');
      expect((await sim.getState(CC, 'k2'))?.toString()).toBe('v2');
      expect((await sim.getHistoryForKey(CC, 'k1')).map((m) => m.txId)).toEqual([txIds[1]]);
      expect(ledger.getTxStatus(txIds[0] ?? '')).toEqual({ txId: txIds[0], code: 0, blockNumber: 1n });
      expect((await ledger.getBlock(3n))?.transactions[0]?.txId).toBe(txIds[2]);
      const next = await endorse(net, ledger, put('k0', 'again'));
      expect(await commitCodes(ledger, next)).toEqual([0]);
      expect(ledger.height()).toBe(5n);
    } finally {
      await ledger.close();
    }
  });

  it('chains block headers with Fabric’s header hash and data hash', async () => {
    await ledgerWithBlocks(2);
    const ledger = await openTestLedger(net, dir);
    try {
      const b1 = await ledger.getRawBlock(1n);
      const b2 = await ledger.getRawBlock(2n);
      const h1 = b1?.getHeader();
      const h2 = b2?.getHeader();
      expect(Buffer.from(h1?.getDataHash_asU8() ?? [])).toEqual(
        blockDataHash(b1?.getData()?.getDataList_asU8() ?? []),
      );
      expect(Buffer.from(h2?.getPreviousHash_asU8() ?? [])).toEqual(
        blockHeaderHash(
          1n,
          h1?.getPreviousHash_asU8() ?? new Uint8Array(),
          h1?.getDataHash_asU8() ?? new Uint8Array(),
        ),
      );
      const filter = b1?.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
      expect(Array.from(filter ?? [])).toEqual([0]);
      expect((await ledger.getRawBlock(0n))?.getHeader()?.getPreviousHash_asU8().length).toBe(0);
    } finally {
      await ledger.close();
    }
  });

  it('refuses a second open of the same data directory with a clear message', async () => {
    const ledger = await openTestLedger(net, dir);
    try {
      const second = openTestLedger(net, dir);
      await expect(second).rejects.toBeInstanceOf(LedgerLockedError);
      await expect(openTestLedger(net, dir)).rejects.toThrow(
        `ledger data directory ${dir} is already in use`,
      );
    } finally {
      await ledger.close();
    }
  });

  it('detects a block missing behind the recorded height (a truncated write)', async () => {
    await ledgerWithBlocks(3);
    await withRawDb(async (db) => {
      await db.batch([
        { type: 'del', key: dbKeys.block(3) },
        { type: 'del', key: dbKeys.header(3) },
      ]);
    });
    await expect(openTestLedger(net, dir)).rejects.toThrow(
      'state records height 4 but the block store holds 3 blocks',
    );
  });

  it('detects a block stored beyond the recorded height (state and blocks out of step)', async () => {
    await ledgerWithBlocks(1);
    await withRawDb(async (db) => {
      const header = await db.get(dbKeys.header(1));
      if (header === undefined) throw new Error('header 1 missing');
      await db.put(dbKeys.header(2), header);
    });
    await expect(openTestLedger(net, dir)).rejects.toBeInstanceOf(LedgerCorruptError);
  });

  it('detects a broken hash chain', async () => {
    await ledgerWithBlocks(3);
    await withRawDb(async (db) => {
      const bytes = await db.get(dbKeys.header(2));
      if (bytes === undefined) throw new Error('header 2 missing');
      const header = common.BlockHeader.deserializeBinary(bytes);
      header.setPreviousHash(Buffer.alloc(32, 7));
      await db.put(dbKeys.header(2), Buffer.from(header.serializeBinary()));
    });
    await expect(openTestLedger(net, dir)).rejects.toThrow('hash chain broken at block 2');
  });

  it('detects a last block whose data does not match its header', async () => {
    await ledgerWithBlocks(2);
    await withRawDb(async (db) => {
      const bytes = await db.get(dbKeys.block(2));
      if (bytes === undefined) throw new Error('block 2 missing');
      const block = common.Block.deserializeBinary(bytes);
      block.getData()?.setDataList([Buffer.from('tampered')]);
      await db.put(dbKeys.block(2), Buffer.from(block.serializeBinary()));
    });
    await expect(openTestLedger(net, dir)).rejects.toThrow('block 2 does not match its header');
  });

  it('records a changed chaincode definition in a config block, moving the definition version', async () => {
    await ledgerWithBlocks(1);
    const ledger = await openTestLedger(net, dir, {
      chaincodes: [{ name: CC, version: '2.0', policy: 'ANY' }],
    });
    try {
      expect(ledger.height()).toBe(3n);
      expect(ledger.chaincodes().get(CC)?.version).toBe('2.0');
      const tx = await endorse(net, ledger, put('any', '1'), { endorsers: [net.peers.C] });
      expect(await commitCodes(ledger, tx)).toEqual([0]);
    } finally {
      await ledger.close();
    }
  });

  it('fails a transaction endorsed under a previous definition with MVCC_READ_CONFLICT', async () => {
    const first = await openTestLedger(net, dir);
    const stale = await endorse(net, first, put('x', '1'));
    await first.close();
    const ledger = await openTestLedger(net, dir, {
      chaincodes: [{ name: CC, version: '2.0', policy: 'MAJORITY' }],
    });
    try {
      expect(await commitCodes(ledger, stale)).toEqual([11]);
    } finally {
      await ledger.close();
    }
  });

  it('commits the private values of a transaction endorsed before a restart, also when endorsed again after it', async () => {
    const coll = '_implicit_org_AMSP';
    const privateWrite = (value: string) => (sim: TxSimulator, ns: string) =>
      sim.putPrivateData(ns, coll, 'p', Buffer.from(value));
    const first = await openTestLedger(net, dir);
    const before = await endorse(net, first, privateWrite('before'), { endorsers: [net.peers.A] });
    await first.close();
    const ledger = await openTestLedger(net, dir);
    try {
      // The same transaction id, simulated again with another private result after the restart:
      // the commit must take the write set whose hashes are in the committed transaction.
      const again = ledger.newSimulator(before.txId, { chaincodeName: CC });
      await privateWrite('after')(again, CC);
      again.done();
      expect(await commitCodes(ledger, before)).toEqual([0]);
      const value = await ledger
        .newSimulator('read', { endorserMspId: 'AMSP' })
        .getPrivateData(CC, coll, 'p');
      expect(value?.toString()).toBe('before');
    } finally {
      await ledger.close();
    }
  });
});
