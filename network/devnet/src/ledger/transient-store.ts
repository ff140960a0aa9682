import { ledger } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import type { AbstractBatchOperation } from 'abstract-level';
import { dbKeys, u64 } from './db-keys';
import { sha256 } from './key-order';
import type { LedgerDb } from './ledger-db';

import rwset = ledger.rwset;

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

/** One stored private write set of a transaction: its digest and `u64 height ‖ TxPvtReadWriteSet`. */
interface TransientEntry {
  readonly digest: Buffer;
  readonly value: Buffer;
}

/** The ledger's write guard, as the store sees it (`WriteGuard` in level-ledger.ts). */
export interface TransientWriteGuard {
  readonly failure: Error | undefined;
  fail(err: unknown): void;
}

/** Stored entries by txId, as `TransientStore.load` read them. */
export type TransientEntries = ReadonlyMap<string, readonly TransientEntry[]>;

/**
 * Private write sets between endorsement and commit, as Fabric's transient store keeps them:
 * persisted under the txId (one entry per distinct simulation result), moved to private state
 * when the transaction commits VALID with matching hashes, and dropped when the transaction
 * commits (either way) or after `retentionBlocks` blocks.
 */
export class TransientStore {
  readonly #db: LedgerDb;
  readonly #logger: Logger;
  readonly #pending = new Set<Promise<void>>();
  /**
   * What this process persisted and has not yet purged, by txId: commit finds its write sets
   * here without a LevelDB read.
   */
  readonly #unpurged = new Map<string, TransientEntry[]>();
  /** Transactions with entries persisted before this process opened the store (read from LevelDB). */
  readonly #fromEarlierRun: Set<string>;

  readonly #guard: TransientWriteGuard;

  private constructor(db: LedgerDb, logger: Logger, guard: TransientWriteGuard, fromEarlierRun: Set<string>) {
    this.#db = db;
    this.#logger = logger;
    this.#guard = guard;
    this.#fromEarlierRun = fromEarlierRun;
  }

  /**
   * Opens the store, noting which transactions have write sets from an earlier run. `guard`
   * is the ledger's: after a failed write the store writes nothing (write sets stay in memory)
   * until the ledger has recovered.
   */
  static async open(db: LedgerDb, logger: Logger, guard: TransientWriteGuard): Promise<TransientStore> {
    const txIds = new Set<string>();
    // key = 't' + txId + 0x00 + digest(32)
    for await (const key of db.keys(dbKeys.transientTable())) {
      txIds.add(key.subarray(1, key.length - 33).toString('utf8'));
    }
    return new TransientStore(db, logger, guard, txIds);
  }

  /** Starts persisting; `flush()` waits for every write started so far. */
  persist(txId: string, privateRwset: rwset.TxPvtReadWriteSet, height: number): void {
    const bytes = Buffer.from(privateRwset.serializeBinary());
    const digest = sha256(bytes);
    const value = Buffer.concat([u64(height), bytes]);
    const entries = this.#unpurged.get(txId) ?? [];
    if (!entries.some((e) => e.digest.equals(digest))) entries.push({ digest, value });
    this.#unpurged.set(txId, entries);
    if (this.#guard.failure !== undefined) return;
    const write = this.#db
      .batch([
        { type: 'put', key: dbKeys.transient(txId, digest), value },
        { type: 'put', key: dbKeys.transientByHeight(height, txId, digest), value: Buffer.alloc(0) },
      ])
      .catch((err: unknown) => {
        this.#guard.fail(err);
        this.#logger.error({ err, txId }, 'could not persist private write set (kept in memory)');
      });
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  /**
   * The stored entries of each txId (one per distinct simulation result): what this process
   * persisted from memory, and, for a transaction that has entries from an earlier run, those
   * from LevelDB (concurrently: a block's look-ups at once, not one after another).
   */
  async load(txIds: Iterable<string>): Promise<TransientEntries> {
    const lists = await Promise.all(
      [...new Set(txIds)].map(async (txId) => {
        const entries = [...(this.#unpurged.get(txId) ?? [])];
        if (this.#fromEarlierRun.has(txId)) {
          const prefix = dbKeys.transientPrefix(txId);
          const upper = Buffer.concat([prefix, Buffer.alloc(32, 0xff)]);
          for await (const [key, value] of this.#db.iterator({ gte: prefix, lte: upper })) {
            const digest = key.subarray(prefix.length);
            if (!entries.some((e) => e.digest.equals(digest))) entries.push({ digest, value });
          }
        }
        return [txId, entries] as const;
      }),
    );
    return new Map(lists);
  }

  /**
   * Of the loaded entries of `txId`, the private write set whose collection hashes equal
   * `expected` (key `namespace\0collection` → pvt_rwset_hash), or undefined if none matches.
   */
  find(
    loaded: TransientEntries,
    txId: string,
    expected: ReadonlyMap<string, Buffer>,
  ): rwset.TxPvtReadWriteSet | undefined {
    for (const { value } of loaded.get(txId) ?? []) {
      const candidate = rwset.TxPvtReadWriteSet.deserializeBinary(value.subarray(8));
      if (matches(candidate, expected)) return candidate;
    }
    return undefined;
  }

  /**
   * Batch operations that drop the loaded entries of `txIds` and every entry older than
   * `belowHeight`, and `forget`, which drops them from memory: call it only once the batch is
   * written, so that a block whose write failed finds its private write sets again when it is
   * retried.
   */
  async purgeOps(
    loaded: TransientEntries,
    txIds: Iterable<string>,
    belowHeight: number,
  ): Promise<{ readonly ops: BatchOp[]; readonly forget: () => void }> {
    const ops: BatchOp[] = [];
    const purged = new Set<string>();
    for (const txId of txIds) {
      purged.add(txId);
      for (const { digest, value } of loaded.get(txId) ?? []) {
        ops.push({ type: 'del', key: dbKeys.transient(txId, digest) });
        ops.push({
          type: 'del',
          key: dbKeys.transientByHeight(Number(value.readBigUInt64BE(0)), txId, digest),
        });
      }
    }
    if (belowHeight > 0) {
      for await (const key of this.#db.keys({
        ...dbKeys.transientByHeightBelow(belowHeight),
        limit: 10000,
      })) {
        ops.push({ type: 'del', key });
        // key = 'u' + u64 height + txId + 0x00 + digest(32)
        const txId = key.subarray(9, key.length - 33).toString('utf8');
        purged.add(txId);
        ops.push({ type: 'del', key: dbKeys.transient(txId, key.subarray(key.length - 32)) });
      }
    }
    return { ops, forget: () => this.forget(purged) };
  }

  /** Drops the write sets of `txIds` from memory (their stored copies are deleted by a written block). */
  forget(txIds: Iterable<string>): void {
    for (const txId of txIds) {
      this.#unpurged.delete(txId);
      this.#fromEarlierRun.delete(txId);
    }
  }
}

function matches(candidate: rwset.TxPvtReadWriteSet, expected: ReadonlyMap<string, Buffer>): boolean {
  let count = 0;
  for (const ns of candidate.getNsPvtRwsetList()) {
    for (const coll of ns.getCollectionPvtRwsetList()) {
      const want = expected.get(`${ns.getNamespace()}\u0000${coll.getCollectionName()}`);
      if (want === undefined || !sha256(coll.getRwset_asU8()).equals(want)) return false;
      count += 1;
    }
  }
  return count === expected.size;
}
