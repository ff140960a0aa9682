import { ledger, peer } from '@hyperledger/fabric-protos';
import { BlockUpdates, versionOf, type PendingWrite } from './block-updates';
import { compareUtf8 } from './key-order';
import type { CommittedState, RecordIterator } from './state-reader';
import { sameVersion, type Version } from './state-record';
import type { NamespaceRwSet } from './tx-decoder';

import Code = peer.TxValidationCode;
import kvrwset = ledger.rwset.kvrwset;

function fromProto(v: kvrwset.Version | undefined): Version | undefined {
  return v === undefined ? undefined : { blockNum: v.getBlockNum(), txNum: v.getTxNum() };
}

/**
 * Fabric's MVCC validation of one transaction (§4.1 step 7), against committed state and the
 * writes of earlier valid transactions in the same block: public reads, then range queries
 * (re-executed; any difference is a phantom), then hashed private reads.
 */
export async function validateMvcc(
  namespaces: readonly NamespaceRwSet[],
  reader: CommittedState,
  updates: BlockUpdates,
): Promise<number> {
  for (const ns of namespaces) {
    for (const read of ns.kv.getReadsList()) {
      if (BlockUpdates.get(updates.public, ns.namespace, read.getKey()) !== undefined)
        return Code.MVCC_READ_CONFLICT;
      const committed = await reader.getState(ns.namespace, read.getKey());
      if (!sameVersion(committed?.version, fromProto(read.getVersion()))) return Code.MVCC_READ_CONFLICT;
    }
    for (const range of ns.kv.getRangeQueriesInfoList()) {
      if (!(await rangeUnchanged(ns.namespace, range, reader, updates))) return Code.PHANTOM_READ_CONFLICT;
    }
    for (const coll of ns.collections) {
      const space = `${ns.namespace}\u0000${coll.name}`;
      for (const read of coll.hashed.getHashedReadsList()) {
        const keyHash = Buffer.from(read.getKeyHash_asU8());
        if (BlockUpdates.get(updates.hashed, space, keyHash.toString('hex')) !== undefined) {
          return Code.MVCC_READ_CONFLICT;
        }
        const committed = await reader.getHashed(ns.namespace, coll.name, keyHash);
        if (!sameVersion(committed?.version, fromProto(read.getVersion()))) return Code.MVCC_READ_CONFLICT;
      }
    }
  }
  return Code.VALID;
}

async function rangeUnchanged(
  namespace: string,
  range: kvrwset.RangeQueryInfo,
  reader: CommittedState,
  updates: BlockUpdates,
): Promise<boolean> {
  // Merkle summaries are never produced here (the simulator always emits raw reads).
  if (!range.hasRawReads()) return false;
  const expected = range.getRawReads()?.getKvReadsList() ?? [];
  // Not exhausted: the end key is the last key the chaincode consumed, and is included.
  const inclusive = !range.getItrExhausted();
  const pending = updates.publicInRange(namespace, range.getStartKey(), range.getEndKey(), inclusive);
  const committed = reader.iterateState(namespace, range.getStartKey(), range.getEndKey(), inclusive);
  try {
    const merged = mergeRange(committed, pending);
    for (const want of expected) {
      const got = await merged.next();
      if (
        got === undefined ||
        got.key !== want.getKey() ||
        !sameVersion(got.version, fromProto(want.getVersion()))
      ) {
        return false;
      }
    }
    return (await merged.next()) === undefined;
  } finally {
    await committed.close();
  }
}

function mergeRange(
  committed: RecordIterator,
  pending: readonly PendingWrite[],
): { next(): Promise<{ key: string; version: Version } | undefined> } {
  let p = 0;
  let head: { key: string; version: Version } | undefined | null = null;
  const pullCommitted = async (): Promise<{ key: string; version: Version } | undefined> => {
    if (head === null) {
      const e = await committed.next();
      head = e === undefined ? undefined : { key: e.key, version: e.record.version };
    }
    return head;
  };
  return {
    async next() {
      for (;;) {
        const c = await pullCommitted();
        const w = pending[p];
        if (w === undefined) {
          if (c === undefined) return undefined;
          head = null;
          return c;
        }
        const cmp = c === undefined ? 1 : compareUtf8(c.key, w.key);
        if (cmp < 0 && c !== undefined) {
          head = null;
          return c;
        }
        if (cmp === 0) head = null;
        p += 1;
        const version = versionOf(w);
        if (version !== undefined) return { key: w.key, version };
      }
    },
  };
}
