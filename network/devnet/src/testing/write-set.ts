import { ledger } from '@hyperledger/fabric-protos';
import { sha256 } from '../ledger/key-order';
import { VALIDATION_PARAMETER } from '../ledger/state-record';
import type { NamespaceRwSet } from '../ledger/tx-decoder';

import kvrwset = ledger.rwset.kvrwset;
import rwset = ledger.rwset;

/** One key's write in a transaction's write set (the last one of the transaction: Fabric keeps one per key). */
export interface KeyWrite {
  readonly kind: 'put' | 'delete' | 'purge';
  /** The value of a put. */
  readonly value?: Buffer;
}

/** What a transaction wrote to one chaincode namespace, decoded from its read-write sets. */
export interface NamespaceWrites {
  /** Public keys written, in key byte order. */
  readonly state: ReadonlyMap<string, KeyWrite>;
  /** Collection → private key → write (values from the private write set). */
  readonly privateData: ReadonlyMap<string, ReadonlyMap<string, KeyWrite>>;
  /** Public key → the metadata entries its metadata write sets. */
  readonly metadata: ReadonlyMap<string, ReadonlyMap<string, Buffer>>;
  /** Collection → private key → the metadata entries its metadata write sets. */
  readonly privateMetadata: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, Buffer>>>;
  /** Public key → the key-level endorsement policy its metadata write sets. */
  readonly validationParameters: ReadonlyMap<string, Buffer>;
}

/**
 * The namespaces of a serialized public `TxReadWriteSet` (what `ProposalSimulator.done()`
 * returns), decoded as the committer decodes a transaction's results.
 */
export function namespacesOf(publicRwset: Uint8Array): NamespaceRwSet[] {
  const set = rwset.TxReadWriteSet.deserializeBinary(publicRwset);
  return set.getNsRwsetList().map((ns) => ({
    namespace: ns.getNamespace(),
    kv: kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()),
    collections: ns.getCollectionHashedRwsetList().map((coll) => ({
      name: coll.getCollectionName(),
      hashed: kvrwset.HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8()),
      pvtRwsetHash: Buffer.from(coll.getPvtRwsetHash_asU8()),
    })),
  }));
}

/** What a transaction wrote to `namespace`, from its public and (if any) private write sets. */
export function namespaceWrites(
  namespace: string,
  publicRwset: Uint8Array,
  privateRwset: rwset.TxPvtReadWriteSet | undefined,
): NamespaceWrites {
  const ns = namespacesOf(publicRwset).find((n) => n.namespace === namespace);
  const state = new Map(ns?.kv.getWritesList().map((w) => [w.getKey(), keyWrite(w, false)]) ?? []);
  const metadata = new Map(
    ns?.kv.getMetadataWritesList().map((w) => [w.getKey(), entriesOf(w.getEntriesList())]) ?? [],
  );
  const validationParameters = new Map<string, Buffer>();
  for (const [key, entries] of metadata) {
    const policy = entries.get(VALIDATION_PARAMETER);
    if (policy !== undefined) validationParameters.set(key, policy);
  }
  const privateData = new Map<string, Map<string, KeyWrite>>();
  const privateMetadata = new Map<string, Map<string, ReadonlyMap<string, Buffer>>>();
  const pvtNs = privateRwset?.getNsPvtRwsetList().find((n) => n.getNamespace() === namespace);
  for (const coll of pvtNs?.getCollectionPvtRwsetList() ?? []) {
    const name = coll.getCollectionName();
    const hashed = ns?.collections.find((c) => c.name === name)?.hashed;
    const purged = new Set(
      hashed
        ?.getHashedWritesList()
        .filter((w) => w.getIsPurge())
        .map((w) => Buffer.from(w.getKeyHash_asU8()).toString('hex')),
    );
    const hashedMetadata = new Map(
      hashed
        ?.getMetadataWritesList()
        .map((w) => [Buffer.from(w.getKeyHash_asU8()).toString('hex'), entriesOf(w.getEntriesList())]),
    );
    const kv = kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8());
    const writes = new Map(
      kv
        .getWritesList()
        .map((w) => [w.getKey(), keyWrite(w, purged.has(sha256(w.getKey()).toString('hex')))]),
    );
    if (writes.size > 0) privateData.set(name, writes);
    const meta = new Map(
      kv
        .getMetadataWritesList()
        .map((w) => [w.getKey(), hashedMetadata.get(sha256(w.getKey()).toString('hex')) ?? new Map()]),
    );
    if (meta.size > 0) privateMetadata.set(name, meta);
  }
  return { state, privateData, metadata, privateMetadata, validationParameters };
}

/** Whether the transaction wrote anything (values or metadata, public or private) to the namespace. */
export function hasWrites(writes: NamespaceWrites): boolean {
  return (
    writes.state.size > 0 ||
    writes.privateData.size > 0 ||
    writes.metadata.size > 0 ||
    writes.privateMetadata.size > 0
  );
}

function keyWrite(write: kvrwset.KVWrite, purge: boolean): KeyWrite {
  if (purge) return { kind: 'purge' };
  return write.getIsDelete()
    ? { kind: 'delete' }
    : { kind: 'put', value: Buffer.from(write.getValue_asU8()) };
}

function entriesOf(list: readonly kvrwset.KVMetadataEntry[]): Map<string, Buffer> {
  return new Map(list.map((e) => [e.getName(), Buffer.from(e.getValue_asU8())]));
}
