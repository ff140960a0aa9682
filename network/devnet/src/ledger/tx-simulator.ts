/**
 * The seam between the chaincode runtime (src/chaincode, which speaks the
 * chaincode protocol to a CCaaS process) and the ledger (src/ledger, which
 * owns state, read/write sets and validation). One simulator serves one
 * transaction proposal. Semantics follow Fabric 2.5:
 * - reads see committed state only (no read-your-writes);
 * - keys are compared by their UTF-8 bytes;
 * - `putState(ns, key, empty)` is a delete;
 * - paginated queries are only allowed before any write, and writes are refused after one,
 *   with Fabric's own messages;
 * - every method may throw an Error whose message the runtime sends back to the shim as the
 *   ERROR payload.
 */
export interface KeyValue {
  readonly key: string;
  readonly value: Buffer;
}

export interface RangePage {
  readonly results: readonly KeyValue[];
  /** The next key after the page, or '' when the range is exhausted (LevelDB behaviour). */
  readonly bookmark: string;
}

export interface KeyModification {
  readonly txId: string;
  readonly value: Buffer;
  /** The transaction's ChannelHeader timestamp. */
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly isDelete: boolean;
}

export interface TxSimulator {
  getState(namespace: string, key: string): Promise<Buffer | undefined>;
  /** Metadata entries (e.g. VALIDATION_PARAMETER) of a public key; records a read. */
  getStateMetadata(namespace: string, key: string): Promise<ReadonlyMap<string, Buffer>>;
  /**
   * A range [startKey, endKey) ('' endKey = unbounded). The runtime pulls lazily so the
   * simulator can record `itr_exhausted` and the last consumed key as Fabric does.
   */
  getStateByRange(namespace: string, startKey: string, endKey: string): AsyncIterator<KeyValue>;
  getStateByRangeWithPagination(
    namespace: string,
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark: string,
  ): Promise<RangePage>;
  getHistoryForKey(namespace: string, key: string): Promise<readonly KeyModification[]>;
  putState(namespace: string, key: string, value: Buffer): Promise<void>;
  deleteState(namespace: string, key: string): Promise<void>;
  setStateMetadata(namespace: string, key: string, name: string, value: Buffer): Promise<void>;

  getPrivateData(namespace: string, collection: string, key: string): Promise<Buffer | undefined>;
  getPrivateDataHash(namespace: string, collection: string, key: string): Promise<Buffer | undefined>;
  getPrivateDataMetadata(
    namespace: string,
    collection: string,
    key: string,
  ): Promise<ReadonlyMap<string, Buffer>>;
  getPrivateDataByRange(
    namespace: string,
    collection: string,
    startKey: string,
    endKey: string,
  ): AsyncIterator<KeyValue>;
  putPrivateData(namespace: string, collection: string, key: string, value: Buffer): Promise<void>;
  deletePrivateData(namespace: string, collection: string, key: string): Promise<void>;
  purgePrivateData(namespace: string, collection: string, key: string): Promise<void>;
  setPrivateDataMetadata(
    namespace: string,
    collection: string,
    key: string,
    name: string,
    value: Buffer,
  ): Promise<void>;
}
