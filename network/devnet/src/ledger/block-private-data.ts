import { ledger } from '@hyperledger/fabric-protos';
import type { AbstractBatchOperation } from 'abstract-level';
import { dbKeys } from './db-keys';
import { sha256 } from './key-order';
import type { LedgerDb } from './ledger-db';

import rwset = ledger.rwset;
import kvrwset = ledger.rwset.kvrwset;

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

/**
 * The private write sets of committed valid transactions, by block and transaction — Fabric's
 * private data store, which `DeliverWithPrivateData` reads. A purge (`PurgePrivateData`) removes
 * the key from every stored version up to and including its own transaction, as Fabric 2.5
 * does, so purged values do not stay on disk here either.
 *
 * One instance prepares one block's batch: `add` and `purge` in transaction order, then `ops()`.
 */
export class BlockPrivateDataWriter {
  readonly #db: LedgerDb;
  readonly #block: number;
  /** Entries changed or added by this block, by their `blockPrivate` key (hex). */
  readonly #entries = new Map<string, { readonly key: Buffer; value: rwset.TxPvtReadWriteSet | undefined }>();
  readonly #ops: BatchOp[] = [];

  constructor(db: LedgerDb, block: number) {
    this.#db = db;
    this.#block = block;
  }

  /** Stores transaction `txNum`'s private write set and indexes the keys it writes. */
  add(txNum: number, privateRwset: rwset.TxPvtReadWriteSet): void {
    const key = dbKeys.blockPrivate(this.#block, txNum);
    this.#entries.set(key.toString('hex'), { key, value: privateRwset });
    for (const ns of privateRwset.getNsPvtRwsetList()) {
      for (const coll of ns.getCollectionPvtRwsetList()) {
        for (const write of kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8()).getWritesList()) {
          const keyHash = sha256(Buffer.from(write.getKey(), 'utf8'));
          this.#ops.push({
            type: 'put',
            key: dbKeys.privateWrite(
              ns.getNamespace(),
              coll.getCollectionName(),
              keyHash,
              this.#block,
              txNum,
            ),
            value: Buffer.alloc(0),
          });
        }
      }
    }
  }

  /** Removes the key (by its hash) from every stored private write set, earlier blocks' and this block's so far. */
  async purge(namespace: string, collection: string, keyHash: Buffer): Promise<void> {
    const prefix = dbKeys.privateWritePrefix(namespace, collection, keyHash);
    const indexed: { readonly indexKey: Buffer; readonly block: number; readonly txNum: number }[] = [];
    for await (const indexKey of this.#db.keys({
      gt: prefix,
      lt: Buffer.concat([prefix, Buffer.alloc(12, 0xff)]),
    })) {
      if (indexKey.length !== prefix.length + 12) continue;
      indexed.push({
        indexKey,
        block: Number(indexKey.readBigUInt64BE(prefix.length)),
        txNum: indexKey.readUInt32BE(prefix.length + 8),
      });
    }
    for (const { indexKey, block, txNum } of indexed) {
      this.#ops.push({ type: 'del', key: indexKey });
      await this.#removeKey(dbKeys.blockPrivate(block, txNum), namespace, collection, keyHash);
    }
    // Versions written earlier in this block: not indexed in the store yet.
    for (const entry of [...this.#entries.values()]) {
      if (entry.key.readBigUInt64BE(1) === BigInt(this.#block)) {
        await this.#removeKey(entry.key, namespace, collection, keyHash);
      }
    }
    this.#ops.push(
      ...this.#ops
        .filter((op) => op.type === 'put' && op.key.subarray(0, prefix.length).equals(prefix))
        .map((op): BatchOp => ({ type: 'del', key: op.key })),
    );
  }

  /**
   * Drops a collection's write sets of an earlier block (BlockToLive expiry: Fabric's private data
   * store no longer answers them once block committing+BTL+1 is committed) and their key index.
   */
  async expire(block: number, namespace: string, collection: string): Promise<void> {
    const stored = new Map<string, Buffer>();
    for await (const key of this.#db.keys(dbKeys.blockPrivateOf(block))) stored.set(key.toString('hex'), key);
    for (const [hex, key] of stored) {
      const entry = this.#entries.get(hex) ?? (await this.#load(key));
      if (entry?.value === undefined) continue;
      const txNum = key.readUInt32BE(9);
      for (const ns of entry.value.getNsPvtRwsetList()) {
        if (ns.getNamespace() !== namespace) continue;
        for (const coll of ns.getCollectionPvtRwsetList()) {
          if (coll.getCollectionName() !== collection) continue;
          for (const write of kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8()).getWritesList()) {
            const keyHash = sha256(Buffer.from(write.getKey(), 'utf8'));
            this.#ops.push({
              type: 'del',
              key: dbKeys.privateWrite(namespace, collection, keyHash, block, txNum),
            });
          }
        }
      }
      entry.value = withoutCollection(entry.value, namespace, collection);
    }
  }

  /** The batch operations: index entries, then every added or changed write set. */
  ops(): BatchOp[] {
    const entries = [...this.#entries.values()].map(({ key, value }): BatchOp =>
      value === undefined
        ? { type: 'del', key }
        : { type: 'put', key, value: Buffer.from(value.serializeBinary()) },
    );
    return [...this.#ops, ...entries];
  }

  async #removeKey(key: Buffer, namespace: string, collection: string, keyHash: Buffer): Promise<void> {
    const entry = this.#entries.get(key.toString('hex')) ?? (await this.#load(key));
    if (entry?.value !== undefined) entry.value = withoutKey(entry.value, namespace, collection, keyHash);
  }

  /** A stored write set, now tracked as changed by this block; undefined if there is none. */
  async #load(
    key: Buffer,
  ): Promise<{ readonly key: Buffer; value: rwset.TxPvtReadWriteSet | undefined } | undefined> {
    const stored = await this.#db.get(key);
    if (stored === undefined) return undefined;
    const entry = { key, value: rwset.TxPvtReadWriteSet.deserializeBinary(stored) };
    this.#entries.set(key.toString('hex'), entry);
    return entry;
  }
}

/** A copy of the write set without one collection; undefined if nothing is left. */
function withoutCollection(
  set: rwset.TxPvtReadWriteSet,
  namespace: string,
  collection: string,
): rwset.TxPvtReadWriteSet | undefined {
  return filtered(set, namespace, collection, () => []);
}

/** A copy of the write set without the writes of one key; undefined if nothing is left. */
function withoutKey(
  set: rwset.TxPvtReadWriteSet,
  namespace: string,
  collection: string,
  keyHash: Buffer,
): rwset.TxPvtReadWriteSet | undefined {
  return filtered(set, namespace, collection, (writes) =>
    writes.filter((w) => !sha256(Buffer.from(w.getKey(), 'utf8')).equals(keyHash)),
  );
}

/** A copy with one collection's writes filtered; collections and namespaces left empty are dropped. */
function filtered(
  set: rwset.TxPvtReadWriteSet,
  namespace: string,
  collection: string,
  keep: (writes: kvrwset.KVWrite[]) => kvrwset.KVWrite[],
): rwset.TxPvtReadWriteSet | undefined {
  const copy = rwset.TxPvtReadWriteSet.deserializeBinary(set.serializeBinary());
  const namespaces = copy.getNsPvtRwsetList().flatMap((ns) => {
    if (ns.getNamespace() !== namespace) return [ns];
    const collections = ns.getCollectionPvtRwsetList().flatMap((coll) => {
      if (coll.getCollectionName() !== collection) return [coll];
      const kv = kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8());
      kv.setWritesList(keep(kv.getWritesList()));
      if (kv.getWritesList().length === 0) return [];
      coll.setRwset(kv.serializeBinary());
      return [coll];
    });
    if (collections.length === 0) return [];
    ns.setCollectionPvtRwsetList(collections);
    return [ns];
  });
  if (namespaces.length === 0) return undefined;
  copy.setNsPvtRwsetList(namespaces);
  return copy;
}

/** The stored private write sets of a block, by transaction number. */
export async function readBlockPrivateData(
  db: LedgerDb,
  block: number,
): Promise<Map<number, rwset.TxPvtReadWriteSet>> {
  const out = new Map<number, rwset.TxPvtReadWriteSet>();
  for await (const [key, value] of db.iterator(dbKeys.blockPrivateOf(block))) {
    out.set(key.readUInt32BE(9), rwset.TxPvtReadWriteSet.deserializeBinary(value));
  }
  return out;
}
