import { ledger } from '@hyperledger/fabric-protos';
import type { AbstractBatchOperation } from 'abstract-level';
import type { BlockPrivateDataWriter } from './block-private-data';
import { BlockUpdates } from './block-updates';
import { dbKeys } from './db-keys';
import { sha256 } from './key-order';
import type { LedgerDb } from './ledger-db';
import type { Version } from './state-record';
import type { CommittedRecords } from './write-applier';

import rwset = ledger.rwset;

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

/**
 * One entry of the expiry schedule (Fabric's `pvtstatepurgemgmt` expiry keeper and the private
 * data store's expiry entries): what the commit of block `expiry` purges.
 */
export interface ExpiryEntry {
  readonly expiry: number;
  /** The block whose write expires. */
  readonly committing: number;
  readonly namespace: string;
  readonly collection: string;
  /** A key's hash; undefined = the collection's write sets of block `committing` in the private data store. */
  readonly keyHash?: Buffer;
  /** The key itself, when the committer had the private write set. */
  readonly key?: string;
}

/** A collection's BlockToLive (0 = never expires). */
export type BlockToLive = (namespace: string, collection: string) => number;

/** Fabric's `ComputeExpiringBlock`: data committed at block b with BTL n is purged when block b+n+1 commits. */
export function expiringBlock(committing: number, blockToLive: number): number {
  return committing + blockToLive + 1;
}

/**
 * What a block schedules (Fabric's `buildExpirySchedule`): each hashed upsert (value or metadata;
 * deletes are not scheduled) of a collection with a BlockToLive, with its key when the private
 * value was written too, and each such collection's write sets in the private data store.
 */
export function scheduleOf(
  blockNum: number,
  updates: BlockUpdates,
  blockToLive: BlockToLive,
  privateData: Iterable<rwset.TxPvtReadWriteSet>,
): ExpiryEntry[] {
  const entries: ExpiryEntry[] = [];
  for (const [space, byKey] of updates.hashed) {
    const [namespace = '', collection = ''] = space.split('\u0000');
    const btl = blockToLive(namespace, collection);
    if (btl <= 0) continue;
    const keys = new Map<string, string>();
    for (const w of updates.private.get(space)?.values() ?? []) {
      if (w.record !== undefined) keys.set(sha256(w.key).toString('hex'), w.key);
    }
    for (const [hex, write] of byKey) {
      if (write.record === undefined) continue;
      const key = keys.get(hex);
      entries.push({
        expiry: expiringBlock(blockNum, btl),
        committing: blockNum,
        namespace,
        collection,
        keyHash: Buffer.from(hex, 'hex'),
        ...(key === undefined ? {} : { key }),
      });
    }
  }
  const stored = new Set<string>();
  for (const set of privateData) {
    for (const ns of set.getNsPvtRwsetList()) {
      for (const coll of ns.getCollectionPvtRwsetList()) {
        const space = `${ns.getNamespace()}\u0000${coll.getCollectionName()}`;
        const btl = blockToLive(ns.getNamespace(), coll.getCollectionName());
        if (btl <= 0 || stored.has(space)) continue;
        stored.add(space);
        entries.push({
          expiry: expiringBlock(blockNum, btl),
          committing: blockNum,
          namespace: ns.getNamespace(),
          collection: coll.getCollectionName(),
        });
      }
    }
  }
  return entries;
}

/**
 * Adds to the block's updates the deletes its expiring entries call for, as Fabric's purge manager
 * decides them (`prepareWorkingsetFor`, `AddExpiredEntriesToUpdateBatch`): a key whose committed
 * hash is still the expiring block's write loses hash and value; one whose hash moved on but whose
 * value did not (a value this peer received late) loses the value only; a key the block itself
 * writes keeps that write. Validation of the block has seen the keys before they expire.
 * @returns the entries that expire the private data store's write sets of a block.
 */
export async function applyExpiry(
  entries: readonly ExpiryEntry[],
  updates: BlockUpdates,
  committed: Pick<CommittedRecords, 'getHashed' | 'getPrivate'>,
): Promise<ExpiryEntry[]> {
  const blockData: ExpiryEntry[] = [];
  for (const entry of entries) {
    const { namespace, collection, keyHash, key } = entry;
    if (keyHash === undefined) {
      blockData.push(entry);
      continue;
    }
    const space = `${namespace}\u0000${collection}`;
    const hex = keyHash.toString('hex');
    const hashed = await committed.getHashed(namespace, collection, keyHash);
    let keyOnly = false;
    if (!sameBlock(hashed?.version, entry.committing)) {
      const value = key === undefined ? undefined : await committed.getPrivate(namespace, collection, key);
      if (key === undefined || !sameBlock(value?.version, entry.committing)) continue;
      keyOnly = true;
    }
    if (!keyOnly && BlockUpdates.get(updates.hashed, space, hex) === undefined) {
      BlockUpdates.set(updates.hashed, space, { key: hex, record: undefined, metadataChanged: false });
    }
    if (key !== undefined && BlockUpdates.get(updates.private, space, key) === undefined) {
      BlockUpdates.set(updates.private, space, { key, record: undefined, metadataChanged: false });
    }
  }
  return blockData;
}

function sameBlock(version: Version | undefined, block: number): boolean {
  return version !== undefined && version.blockNum === block;
}

/** The store key of an entry (`dbKeys.expiry`). */
export function expiryKey(entry: ExpiryEntry): Buffer {
  return dbKeys.expiry(
    entry.expiry,
    entry.committing,
    entry.namespace,
    entry.collection,
    entry.keyHash ?? Buffer.alloc(0),
  );
}

/** An entry read back from the store. @throws Error for a malformed key. */
export function decodeExpiry(key: Buffer, value: Buffer): ExpiryEntry {
  const first = key.indexOf(0, 17);
  const second = first < 0 ? -1 : key.indexOf(0, first + 1);
  const hash = key.subarray(second + 1);
  if (key.length < 17 || second < 0 || (hash.length !== 0 && hash.length !== 32)) {
    throw new Error(`malformed expiry schedule key ${key.toString('hex')}`);
  }
  return {
    expiry: Number(key.readBigUInt64BE(1)),
    committing: Number(key.readBigUInt64BE(9)),
    namespace: key.toString('utf8', 17, first),
    collection: key.toString('utf8', first + 1, second),
    ...(hash.length === 0 ? {} : { keyHash: Buffer.from(hash) }),
    ...(value.length === 0 ? {} : { key: value.toString('utf8') }),
  };
}

/** The schedule's entries for the commit of `block`, with their store keys. */
export async function readExpiring(
  db: Pick<LedgerDb, 'iterator'>,
  block: number,
): Promise<{ readonly entries: ExpiryEntry[]; readonly keys: Buffer[] }> {
  const entries: ExpiryEntry[] = [];
  const keys: Buffer[] = [];
  for await (const [key, value] of db.iterator(dbKeys.expiryAt(block))) {
    keys.push(key);
    entries.push(decodeExpiry(key, value));
  }
  return { entries, keys };
}

/**
 * The BlockToLive part of a block's commit: the entries due at `blockNum` applied to its updates
 * (`applyExpiry`) and to the private data store (`privateData`), their removal from the schedule,
 * and the schedule of what the block writes (`scheduleOf`, `stored` being the private write sets
 * it stores). Every block runs it, config blocks too.
 */
export async function expiryOps(parts: {
  readonly db: Pick<LedgerDb, 'iterator'>;
  readonly reader: Pick<CommittedRecords, 'getHashed' | 'getPrivate'>;
  readonly blockNum: number;
  readonly updates: BlockUpdates;
  readonly privateData: BlockPrivateDataWriter;
  readonly stored: Iterable<rwset.TxPvtReadWriteSet>;
  readonly blockToLive: BlockToLive;
}): Promise<BatchOp[]> {
  const due = await readExpiring(parts.db, parts.blockNum);
  for (const data of await applyExpiry(due.entries, parts.updates, parts.reader)) {
    await parts.privateData.expire(data.committing, data.namespace, data.collection);
  }
  const scheduled = scheduleOf(parts.blockNum, parts.updates, parts.blockToLive, parts.stored);
  return [
    ...due.keys.map((key): BatchOp => ({ type: 'del', key })),
    ...scheduled.map((entry): BatchOp => ({
      type: 'put',
      key: expiryKey(entry),
      value: Buffer.from(entry.key ?? '', 'utf8'),
    })),
  ];
}
