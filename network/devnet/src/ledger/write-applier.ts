import { ledger } from '@hyperledger/fabric-protos';
import { BlockUpdates, type PendingWrite } from './block-updates';
import type { CommittedState } from './state-reader';
import type { StateRecord, Version } from './state-record';
import type { NamespaceRwSet } from './tx-decoder';
import type { KeyModification } from './tx-simulator';

import kvrwset = ledger.rwset.kvrwset;
import rwset = ledger.rwset;

export interface HistoryWrite {
  readonly namespace: string;
  readonly key: string;
  readonly version: Version;
  readonly entry: KeyModification;
}

export interface ValidTx {
  readonly txId: string;
  readonly version: Version;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly namespaces: readonly NamespaceRwSet[];
  readonly privateRwset: rwset.TxPvtReadWriteSet | undefined;
}

type Lookup = (key: string) => Promise<StateRecord | undefined>;

/**
 * What write application reads of committed state: a key's current record (for the metadata an
 * upsert keeps). The committer passes its `StateReader`; the ledger verifier the state it rebuilds
 * from the blocks.
 */
export type CommittedRecords = Pick<CommittedState, 'getState' | 'getHashed' | 'getPrivate'>;

/**
 * Applies a valid transaction's writes to the block's pending updates with Fabric's rules
 * (§4.1 "Write application rules"): an upsert keeps the key's metadata, a delete removes value
 * and metadata, a metadata write to an absent key is dropped, and any write moves the version.
 */
export async function applyValidTx(
  tx: ValidTx,
  reader: CommittedRecords,
  updates: BlockUpdates,
  history: HistoryWrite[],
): Promise<void> {
  for (const ns of tx.namespaces) {
    const name = ns.namespace;
    await applyKv(
      updates.public,
      name,
      tx.version,
      ns.kv.getWritesList().map((w) => ({
        key: w.getKey(),
        value: w.getIsDelete() ? undefined : Buffer.from(w.getValue_asU8()),
      })),
      ns.kv.getMetadataWritesList().map((w) => ({ key: w.getKey(), entries: entriesOf(w.getEntriesList()) })),
      (key) => reader.getState(name, key),
    );
    for (const w of ns.kv.getWritesList()) {
      history.push({
        namespace: name,
        key: w.getKey(),
        version: tx.version,
        entry: {
          txId: tx.txId,
          value: w.getIsDelete() ? Buffer.alloc(0) : Buffer.from(w.getValue_asU8()),
          timestamp: tx.timestamp,
          isDelete: w.getIsDelete(),
        },
      });
    }
    for (const coll of ns.collections) {
      const hashedWrites = coll.hashed.getHashedWritesList().map((w) => ({
        key: Buffer.from(w.getKeyHash_asU8()).toString('hex'),
        value: w.getIsDelete() ? undefined : Buffer.from(w.getValueHash_asU8()),
      }));
      const hashedMeta = coll.hashed.getMetadataWritesList().map((w) => ({
        key: Buffer.from(w.getKeyHash_asU8()).toString('hex'),
        entries: entriesOf(w.getEntriesList()),
      }));
      await applyKv(
        updates.hashed,
        `${name}\u0000${coll.name}`,
        tx.version,
        hashedWrites,
        hashedMeta,
        (hex) => reader.getHashed(name, coll.name, Buffer.from(hex, 'hex')),
      );
    }
  }
  if (tx.privateRwset !== undefined) await applyPrivate(tx, reader, updates);
}

async function applyPrivate(tx: ValidTx, reader: CommittedRecords, updates: BlockUpdates): Promise<void> {
  for (const ns of tx.privateRwset?.getNsPvtRwsetList() ?? []) {
    for (const coll of ns.getCollectionPvtRwsetList()) {
      const kv = kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8());
      const space = `${ns.getNamespace()}\u0000${coll.getCollectionName()}`;
      const lookup: Lookup = (key) => reader.getPrivate(ns.getNamespace(), coll.getCollectionName(), key);
      // Private metadata lives in the hashed state; a private metadata write only moves the version.
      await applyKv(
        updates.private,
        space,
        tx.version,
        kv.getWritesList().map((w) => ({
          key: w.getKey(),
          value: w.getIsDelete() ? undefined : Buffer.from(w.getValue_asU8()),
        })),
        kv.getMetadataWritesList().map((w) => ({ key: w.getKey(), entries: undefined })),
        lookup,
      );
    }
  }
}

function entriesOf(list: readonly kvrwset.KVMetadataEntry[]): Map<string, Buffer> {
  return new Map(list.map((e) => [e.getName(), Buffer.from(e.getValue_asU8())]));
}

async function applyKv(
  space: Map<string, Map<string, PendingWrite>>,
  ns: string,
  version: Version,
  writes: readonly { key: string; value: Buffer | undefined }[],
  metadataWrites: readonly { key: string; entries: Map<string, Buffer> | undefined }[],
  lookup: Lookup,
): Promise<void> {
  const current = async (key: string): Promise<StateRecord | undefined> => {
    const pending = BlockUpdates.get(space, ns, key);
    return pending !== undefined ? pending.record : lookup(key);
  };
  const written = new Map<string, StateRecord | undefined>();
  for (const w of writes) {
    const existing = await current(w.key);
    if (w.value === undefined) {
      written.set(w.key, undefined);
      BlockUpdates.set(space, ns, {
        key: w.key,
        record: undefined,
        metadataChanged: (existing?.metadata.size ?? 0) > 0,
      });
    } else {
      const record = { value: w.value, version, metadata: existing?.metadata ?? new Map<string, Buffer>() };
      written.set(w.key, record);
      BlockUpdates.set(space, ns, { key: w.key, record, metadataChanged: false });
    }
  }
  for (const m of metadataWrites) {
    const target = written.has(m.key) ? written.get(m.key) : await current(m.key);
    if (target === undefined) continue;
    const record = { value: target.value, version, metadata: m.entries ?? target.metadata };
    BlockUpdates.set(space, ns, { key: m.key, record, metadataChanged: m.entries !== undefined });
  }
}
