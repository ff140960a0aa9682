import { ledger } from '@hyperledger/fabric-protos';
import { sha256, sortedEntries } from './key-order';
import type { Version } from './state-record';

import kvrwset = ledger.rwset.kvrwset;
import rwset = ledger.rwset;

export interface RangeQueryRecord {
  readonly startKey: string;
  readonly endKey: string;
  readonly itrExhausted: boolean;
  readonly reads: readonly { readonly key: string; readonly version: Version | undefined }[];
}

interface PrivateWrite {
  readonly value: Buffer;
  readonly purge: boolean;
}

interface CollectionData {
  readonly hashedReads: Map<string, Version | undefined>;
  readonly writes: Map<string, PrivateWrite>;
  readonly metadataWrites: Map<string, ReadonlyMap<string, Buffer>>;
}

interface NamespaceData {
  readonly reads: Map<string, Version | undefined>;
  readonly ranges: RangeQueryRecord[];
  readonly writes: Map<string, Buffer>;
  readonly metadataWrites: Map<string, ReadonlyMap<string, Buffer>>;
  readonly collections: Map<string, CollectionData>;
}

export interface SimulationResults {
  /** The serialized public `rwset.TxReadWriteSet` (with hashed collections). */
  readonly publicRwset: Buffer;
  /** The private rwset for the transient store, or undefined if nothing was written privately. */
  readonly privateRwset: rwset.TxPvtReadWriteSet | undefined;
}

/**
 * Collects one transaction's reads and writes and serializes them as Fabric's rwset builder
 * does: namespaces, keys and collections in byte order, one entry per key (the last write
 * wins), range queries in execution order without duplicates, hashed private writes.
 */
export class RwSetBuilder {
  readonly #namespaces = new Map<string, NamespaceData>();

  addRead(ns: string, key: string, version: Version | undefined): void {
    this.#ns(ns).reads.set(key, version);
  }

  addRangeQuery(ns: string, record: RangeQueryRecord): void {
    const ranges = this.#ns(ns).ranges;
    const same = ranges.some(
      (r) =>
        r.startKey === record.startKey &&
        r.endKey === record.endKey &&
        r.itrExhausted === record.itrExhausted,
    );
    if (!same) ranges.push(record);
  }

  addWrite(ns: string, key: string, value: Buffer): void {
    this.#ns(ns).writes.set(key, value);
  }

  /** An empty map means "delete the key's metadata". */
  addMetadataWrite(ns: string, key: string, entries: ReadonlyMap<string, Buffer>): void {
    this.#ns(ns).metadataWrites.set(key, entries);
  }

  addHashedRead(ns: string, coll: string, key: string, version: Version | undefined): void {
    this.#coll(ns, coll).hashedReads.set(key, version);
  }

  addPrivateWrite(ns: string, coll: string, key: string, value: Buffer, purge = false): void {
    this.#coll(ns, coll).writes.set(key, { value: purge ? Buffer.alloc(0) : value, purge });
  }

  addPrivateMetadataWrite(ns: string, coll: string, key: string, entries: ReadonlyMap<string, Buffer>): void {
    this.#coll(ns, coll).metadataWrites.set(key, entries);
  }

  build(): SimulationResults {
    const publicSet = new rwset.TxReadWriteSet();
    publicSet.setDataModel(rwset.TxReadWriteSet.DataModel.KV);
    const privateSet = new rwset.TxPvtReadWriteSet();
    privateSet.setDataModel(rwset.TxReadWriteSet.DataModel.KV);

    for (const [name, data] of sortedEntries(this.#namespaces)) {
      const ns = new rwset.NsReadWriteSet();
      ns.setNamespace(name);
      ns.setRwset(publicKvRwset(data).serializeBinary());
      const pvtCollections: rwset.CollectionPvtReadWriteSet[] = [];
      const hashedCollections = sortedEntries(data.collections).map(([collName, coll]) => {
        const hashed = new rwset.CollectionHashedReadWriteSet();
        hashed.setCollectionName(collName);
        hashed.setHashedRwset(hashedRwset(coll).serializeBinary());
        if (coll.writes.size > 0 || coll.metadataWrites.size > 0) {
          const pvtBytes = privateKvRwset(coll).serializeBinary();
          hashed.setPvtRwsetHash(sha256(pvtBytes));
          const pvt = new rwset.CollectionPvtReadWriteSet();
          pvt.setCollectionName(collName);
          pvt.setRwset(pvtBytes);
          pvtCollections.push(pvt);
        }
        return hashed;
      });
      ns.setCollectionHashedRwsetList(hashedCollections);
      publicSet.addNsRwset(ns);
      if (pvtCollections.length > 0) {
        const pvtNs = new rwset.NsPvtReadWriteSet();
        pvtNs.setNamespace(name);
        pvtNs.setCollectionPvtRwsetList(pvtCollections);
        privateSet.addNsPvtRwset(pvtNs);
      }
    }
    return {
      publicRwset: Buffer.from(publicSet.serializeBinary()),
      privateRwset: privateSet.getNsPvtRwsetList().length > 0 ? privateSet : undefined,
    };
  }

  #ns(ns: string): NamespaceData {
    let data = this.#namespaces.get(ns);
    if (data === undefined) {
      data = {
        reads: new Map(),
        ranges: [],
        writes: new Map(),
        metadataWrites: new Map(),
        collections: new Map(),
      };
      this.#namespaces.set(ns, data);
    }
    return data;
  }

  #coll(ns: string, coll: string): CollectionData {
    const collections = this.#ns(ns).collections;
    let data = collections.get(coll);
    if (data === undefined) {
      data = { hashedReads: new Map(), writes: new Map(), metadataWrites: new Map() };
      collections.set(coll, data);
    }
    return data;
  }
}

export function toProtoVersion(version: Version | undefined): kvrwset.Version | undefined {
  if (version === undefined) return undefined;
  const v = new kvrwset.Version();
  v.setBlockNum(version.blockNum);
  v.setTxNum(version.txNum);
  return v;
}

function kvRead(key: string, version: Version | undefined): kvrwset.KVRead {
  const read = new kvrwset.KVRead();
  read.setKey(key);
  const v = toProtoVersion(version);
  if (v !== undefined) read.setVersion(v);
  return read;
}

function metadataEntries(entries: ReadonlyMap<string, Buffer>): kvrwset.KVMetadataEntry[] {
  return sortedEntries(entries).map(([name, value]) => {
    const entry = new kvrwset.KVMetadataEntry();
    entry.setName(name);
    entry.setValue(value);
    return entry;
  });
}

function publicKvRwset(data: NamespaceData): kvrwset.KVRWSet {
  const kv = new kvrwset.KVRWSet();
  kv.setReadsList(sortedEntries(data.reads).map(([key, version]) => kvRead(key, version)));
  kv.setRangeQueriesInfoList(
    data.ranges.map((r) => {
      const info = new kvrwset.RangeQueryInfo();
      info.setStartKey(r.startKey);
      info.setEndKey(r.endKey);
      info.setItrExhausted(r.itrExhausted);
      const raw = new kvrwset.QueryReads();
      raw.setKvReadsList(r.reads.map((read) => kvRead(read.key, read.version)));
      info.setRawReads(raw);
      return info;
    }),
  );
  kv.setWritesList(
    sortedEntries(data.writes).map(([key, value]) => {
      const write = new kvrwset.KVWrite();
      write.setKey(key);
      write.setIsDelete(value.length === 0);
      write.setValue(value);
      return write;
    }),
  );
  kv.setMetadataWritesList(
    sortedEntries(data.metadataWrites).map(([key, entries]) => {
      const write = new kvrwset.KVMetadataWrite();
      write.setKey(key);
      write.setEntriesList(metadataEntries(entries));
      return write;
    }),
  );
  return kv;
}

function hashedRwset(coll: CollectionData): kvrwset.HashedRWSet {
  const hashed = new kvrwset.HashedRWSet();
  hashed.setHashedReadsList(
    sortedEntries(coll.hashedReads).map(([key, version]) => {
      const read = new kvrwset.KVReadHash();
      read.setKeyHash(sha256(key));
      const v = toProtoVersion(version);
      if (v !== undefined) read.setVersion(v);
      return read;
    }),
  );
  hashed.setHashedWritesList(
    sortedEntries(coll.writes).map(([key, write]) => {
      const w = new kvrwset.KVWriteHash();
      w.setKeyHash(sha256(key));
      const isDelete = write.purge || write.value.length === 0;
      w.setIsDelete(isDelete);
      if (!isDelete) w.setValueHash(sha256(write.value));
      w.setIsPurge(write.purge);
      return w;
    }),
  );
  hashed.setMetadataWritesList(
    sortedEntries(coll.metadataWrites).map(([key, entries]) => {
      const w = new kvrwset.KVMetadataWriteHash();
      w.setKeyHash(sha256(key));
      w.setEntriesList(metadataEntries(entries));
      return w;
    }),
  );
  return hashed;
}

function privateKvRwset(coll: CollectionData): kvrwset.KVRWSet {
  const kv = new kvrwset.KVRWSet();
  kv.setWritesList(
    sortedEntries(coll.writes).map(([key, write]) => {
      const w = new kvrwset.KVWrite();
      w.setKey(key);
      w.setIsDelete(write.purge || write.value.length === 0);
      w.setValue(write.value);
      return w;
    }),
  );
  // Fabric leaves the entries of private metadata writes empty; the hashed rwset carries them.
  kv.setMetadataWritesList(
    sortedEntries(coll.metadataWrites).map(([key]) => {
      const w = new kvrwset.KVMetadataWrite();
      w.setKey(key);
      return w;
    }),
  );
  return kv;
}
