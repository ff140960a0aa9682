import type { AbstractBatchOperation } from 'abstract-level';
import type { BlockUpdates } from './block-updates';
import { dbKeys } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { encodeStateRecord } from './state-record';

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

/** A block's public, hashed and private updates as batch operations (a deleted record is a `del`). */
export function stateOps(updates: BlockUpdates): BatchOp[] {
  const ops: BatchOp[] = [];
  const emit = (
    key: Buffer,
    write: { record: Parameters<typeof encodeStateRecord>[0] | undefined },
  ): void => {
    ops.push(
      write.record === undefined
        ? { type: 'del', key }
        : { type: 'put', key, value: encodeStateRecord(write.record) },
    );
  };
  for (const [ns, byKey] of updates.public) for (const w of byKey.values()) emit(dbKeys.state(ns, w.key), w);
  for (const [space, byKey] of updates.hashed) {
    const [ns = '', coll = ''] = space.split('\u0000');
    for (const w of byKey.values()) emit(dbKeys.hashed(ns, coll, Buffer.from(w.key, 'hex')), w);
  }
  for (const [space, byKey] of updates.private) {
    const [ns = '', coll = ''] = space.split('\u0000');
    for (const w of byKey.values()) emit(dbKeys.private(ns, coll, w.key), w);
  }
  return ops;
}
