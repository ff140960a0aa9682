import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { common, peer } from '@hyperledger/fabric-protos';
import { KeyEndorsementPolicy } from '../testing/key-endorsement-policy';
import {
  CC,
  commitCodes,
  createTestNetwork,
  endorse,
  levelDbContents,
  openTestLedger,
  put,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../testing/ledger-test-env';
import { encodeTxIndex } from './block-committer';
import { dbKeys } from './db-keys';
import type { DevnetLedger } from './level-ledger';
import { LedgerLockedError } from './ledger-db';
import { decodeStateRecord, encodeStateRecord } from './state-record';
import { formatVerifyReport, verifyLedger } from './verify-ledger';

const Code = peer.TxValidationCode;
const COLL = '_implicit_org_AMSP';

type RawDb = ClassicLevel<Buffer, Buffer>;

async function withRawDb(dir: string, change: (db: RawDb) => Promise<void>): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open({ createIfMissing: false });
  try {
    await change(db);
  } finally {
    await db.close();
  }
}

async function getOrFail(db: RawDb, key: Buffer): Promise<Buffer> {
  const value = await db.get(key);
  if (value === undefined) throw new Error(`test ledger lacks key ${key.toString('hex')}`);
  return value;
}

/**
 * Blocks 0–6: genesis; two puts; a key with a key-level policy and two private values; an upsert
 * of the guarded key, a private metadata write, a read-modify-write pair (the second
 * MVCC_READ_CONFLICT) and a delete; a duplicate of block 1's first transaction, a private delete and
 * a duplicate of the conflicting one; a config block (the chaincode redefined); one more put.
 */
async function buildLedger(net: TestNetwork, dir: string): Promise<{ firstTxId: string }> {
  const policyOf = (mspId: string): Buffer => {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', mspId);
    return policy.getPolicy();
  };
  let ledger: DevnetLedger = await openTestLedger(net, dir);
  const onlyA = { endorsers: [net.peers.A] };
  const readModifyWrite = (key: string, value: string) =>
    endorse(net, ledger, async (sim, ns) => {
      await sim.getState(ns, key);
      await sim.putState(ns, key, Buffer.from(value));
    });
  try {
    const t1 = await endorse(net, ledger, put('k1', 'v1'));
    expect(await commitCodes(ledger, t1, await endorse(net, ledger, put('k2', 'v2')))).toEqual([0, 0]);

    const guarded = await endorse(net, ledger, async (sim, ns) => {
      await sim.putState(ns, 'guarded', Buffer.from('v0'));
      await sim.setStateMetadata(ns, 'guarded', 'VALIDATION_PARAMETER', policyOf('BMSP'));
    });
    const privateWrites = await endorse(
      net,
      ledger,
      async (sim, ns) => {
        await sim.putPrivateData(ns, COLL, 'patient1', Buffer.from('{"name":"Ada"}'));
        await sim.putPrivateData(ns, COLL, 'patient2', Buffer.from('{"name":"Grace"}'));
      },
      onlyA,
    );
    expect(await commitCodes(ledger, guarded, privateWrites)).toEqual([0, 0]);

    const upsert = await endorse(net, ledger, put('guarded', 'v1'), { endorsers: [net.peers.B] });
    const privateMetadata = await endorse(
      net,
      ledger,
      (sim, ns) => sim.setPrivateDataMetadata(ns, COLL, 'patient1', 'VALIDATION_PARAMETER', policyOf('AMSP')),
      onlyA,
    );
    const first = await readModifyWrite('k1', 'x1');
    const conflicting = await readModifyWrite('k1', 'x2');
    const del = await endorse(net, ledger, (sim, ns) => sim.deleteState(ns, 'k2'));
    expect(await commitCodes(ledger, upsert, privateMetadata, first, conflicting, del)).toEqual([
      0,
      0,
      0,
      Code.MVCC_READ_CONFLICT,
      0,
    ]);

    const privateDelete = await endorse(
      net,
      ledger,
      (sim, ns) => sim.deletePrivateData(ns, COLL, 'patient2'),
      onlyA,
    );
    expect(await commitCodes(ledger, t1, privateDelete, conflicting)).toEqual([
      Code.DUPLICATE_TXID,
      0,
      Code.DUPLICATE_TXID,
    ]);
    await ledger.close();

    ledger = await openTestLedger(net, dir, {
      chaincodes: [{ name: CC, version: '2.0', policy: 'MAJORITY' }],
    });
    expect(await commitCodes(ledger, await endorse(net, ledger, put('after', 'config')))).toEqual([0]);
    expect(ledger.height()).toBe(7n);
    return { firstTxId: t1.txId };
  } finally {
    await ledger.close();
  }
}

describe('verifyLedger', () => {
  let net: TestNetwork;
  let template: string;
  let firstTxId: string;
  let dir: string;

  beforeAll(async () => {
    net = await createTestNetwork();
    template = tempDataDir();
    ({ firstTxId } = await buildLedger(net, template));
  }, 30_000);
  afterAll(() => removeDir(template));
  beforeEach(() => {
    dir = tempDataDir();
    cpSync(template, dir, { recursive: true });
  });
  afterEach(() => removeDir(dir));

  /** The problems found after `change`, which must be at least one. */
  async function problemsAfter(change: (db: RawDb) => Promise<void>) {
    await withRawDb(dir, change);
    const report = await verifyLedger(dir);
    expect(report.ok).toBe(false);
    return report.problems;
  }

  it('verifies a healthy ledger (public, private, metadata, MVCC conflict, duplicates, config) and changes nothing', async () => {
    const before = await levelDbContents(dir);
    const report = await verifyLedger(dir);
    expect(report).toEqual({
      ok: true,
      blocks: 7,
      transactions: 15,
      validTransactions: 12,
      // _lifecycle Sequence and DevnetDefinition, basic k1, guarded, after; patient1's hash
      stateKeys: 6,
      privateValues: 1,
      problemCount: 0,
      problems: [],
    });
    expect(formatVerifyReport(report, dir)).toBe(
      `ledger ${dir}: 7 blocks, 15 transactions (12 valid), 6 state keys, 1 private values: OK ` +
        '(blocks, hash chain, world state, private values, history and txId index agree)',
    );
    expect(await levelDbContents(dir)).toEqual(before);
  });

  it('verifies an open store and leaves it open', async () => {
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    try {
      expect((await verifyLedger(db)).ok).toBe(true);
      expect(db.status).toBe('open');
    } finally {
      await db.close();
    }
  });

  it('reports a changed state value with its key and the block that wrote it', async () => {
    const problems = await problemsAfter(async (db) => {
      const record = decodeStateRecord(await getOrFail(db, dbKeys.state(CC, 'k1')));
      await db.put(dbKeys.state(CC, 'k1'), encodeStateRecord({ ...record, value: Buffer.from('forged') }));
    });
    expect(problems).toEqual([
      {
        block: 3,
        key: 'basic:k1',
        what: expect.stringMatching(/^differs from the state the blocks produce: value/),
      },
    ]);
  });

  it('reports changed metadata (a removed key-level policy)', async () => {
    const problems = await problemsAfter(async (db) => {
      const record = decodeStateRecord(await getOrFail(db, dbKeys.state(CC, 'guarded')));
      await db.put(dbKeys.state(CC, 'guarded'), encodeStateRecord({ ...record, metadata: new Map() }));
    });
    expect(problems).toEqual([
      { block: 3, key: 'basic:guarded', what: expect.stringContaining('metadata (stored []') },
    ]);
  });

  it('reports a missing state key', async () => {
    const problems = await problemsAfter((db) => db.del(dbKeys.state(CC, 'guarded')));
    expect(problems).toEqual([
      {
        block: 3,
        key: 'basic:guarded',
        what: 'missing: block 3 tx 0 writes it and no later block deletes it',
      },
    ]);
  });

  it('reports an extra state key, public or hashed', async () => {
    const record = encodeStateRecord({
      value: Buffer.from('x'),
      version: { blockNum: 2, txNum: 0 },
      metadata: new Map(),
    });
    const keyHash = Buffer.alloc(32, 1);
    const problems = await problemsAfter(async (db) => {
      await db.put(dbKeys.state(CC, 'intruder'), record);
      await db.put(dbKeys.hashed(CC, COLL, keyHash), record);
    });
    expect(problems).toEqual([
      {
        block: 2,
        key: 'basic:intruder',
        what: expect.stringMatching(/^extra: stored \(version block 2 tx 0\)/),
      },
      { block: 2, key: `basic:${COLL}:#${keyHash.toString('hex')}`, what: expect.stringMatching(/^extra/) },
    ]);
  });

  it('reports a private value that does not hash to its hashed state', async () => {
    const problems = await problemsAfter(async (db) => {
      const key = dbKeys.private(CC, COLL, 'patient1');
      const record = decodeStateRecord(await getOrFail(db, key));
      await db.put(key, encodeStateRecord({ ...record, value: Buffer.from('{"name":"Eve"}') }));
    });
    expect(problems).toEqual([
      {
        block: 3,
        key: `basic:${COLL}:patient1`,
        what: 'the private value does not hash to its hashed state entry (block 3 tx 1)',
      },
    ]);
  });

  it('reports a flipped byte in a stored block’s data', async () => {
    const problems = await problemsAfter(async (db) => {
      const block = common.Block.deserializeBinary(await getOrFail(db, dbKeys.block(2)));
      const envelopes = (block.getData()?.getDataList_asU8() ?? []).map((e) => Buffer.from(e));
      const last = envelopes[0]!.length - 1; // in the creator's signature
      envelopes[0]![last] = envelopes[0]![last]! ^ 0x01;
      block.getData()?.setDataList(envelopes);
      await db.put(dbKeys.block(2), Buffer.from(block.serializeBinary()));
    });
    expect(problems).toEqual([
      { block: 2, what: "data_hash does not match the SHA-256 of the block's data" },
    ]);
  });

  it('reports a broken header hash link', async () => {
    const problems = await problemsAfter(async (db) => {
      const block = common.Block.deserializeBinary(await getOrFail(db, dbKeys.block(2)));
      block.getHeader()?.setPreviousHash(Buffer.alloc(32, 7));
      await db.put(dbKeys.block(2), Buffer.from(block.serializeBinary()));
      await db.put(dbKeys.header(2), Buffer.from(block.getHeader()!.serializeBinary()));
    });
    expect(problems).toEqual([
      { block: 2, what: 'previous_hash does not match the header hash of block 1: the hash chain is broken' },
      // Block 2's header hash changed with it, so block 3 no longer links to it either.
      { block: 3, what: 'previous_hash does not match the header hash of block 2: the hash chain is broken' },
    ]);
  });

  it('reports a header copy that differs from its block, and chain info that does not match the last block', async () => {
    const problems = await problemsAfter(async (db) => {
      const header = common.BlockHeader.deserializeBinary(await getOrFail(db, dbKeys.header(4)));
      header.setDataHash(Buffer.alloc(32, 9));
      await db.put(dbKeys.header(4), Buffer.from(header.serializeBinary()));
      const info = JSON.parse((await getOrFail(db, dbKeys.chainInfo)).toString()) as Record<string, unknown>;
      await db.put(dbKeys.chainInfo, Buffer.from(JSON.stringify({ ...info, lastHash: 'ab'.repeat(32) })));
    });
    expect(problems).toEqual([
      { block: 4, what: "the header index copy differs from the block's header" },
      { block: 6, what: "the recorded last hash (m:chain) is not the last block's header hash" },
    ]);
  });

  it('reports a wrong txId index entry, naming the transaction and its first copy', async () => {
    const problems = await problemsAfter((db) =>
      db.put(dbKeys.txIndex(firstTxId), encodeTxIndex(4, 0, Code.VALID)),
    );
    expect(problems).toEqual([
      {
        block: 1,
        key: firstTxId,
        what: 'the txId index says block 4 tx 0 VALID (0); the first copy is block 1 tx 0 VALID (0)',
      },
    ]);
  });

  it('counts every problem but lists at most maxProblems', async () => {
    await withRawDb(dir, async (db) => {
      for (let i = 0; i < 5; i += 1) await db.del(dbKeys.txIndex(i === 0 ? firstTxId : `missing-${i}`));
      for (let i = 1; i < 5; i += 1) await db.put(dbKeys.txIndex(`extra-${i}`), encodeTxIndex(1, 0, 0));
    });
    const report = await verifyLedger(dir, { maxProblems: 2 });
    expect(report.problemCount).toBe(5);
    expect(report.problems).toHaveLength(2);
    expect(formatVerifyReport(report)).toMatch(/5 problems\n.*\n.*\n {2}… and 3 more \(2 listed\)$/);
  });

  it('refuses a directory a running ledger holds, with the LedgerLockedError message', async () => {
    const ledger = await openTestLedger(net, dir);
    try {
      const verified = verifyLedger(dir);
      await expect(verified).rejects.toBeInstanceOf(LedgerLockedError);
      await expect(verified).rejects.toThrow(
        `ledger data directory ${dir} is already in use by another devnet process`,
      );
    } finally {
      await ledger.close();
    }
  });

  it('refuses a directory without a ledger and creates nothing', async () => {
    const missing = join(dir, 'no-ledger-here');
    await expect(verifyLedger(missing)).rejects.toThrow(`no ledger store in ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
