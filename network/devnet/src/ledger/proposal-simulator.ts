import { PAGINATED_WRITE_MESSAGE, type VerifiedIdentity } from '@careledger/fabric-toolkit';
import type { KeyModification, KeyValue, RangePage } from './tx-simulator';
import type { ProposalSimulator } from './ledger';
import { sha256 } from './key-order';
import { CollectionAccess, type CollectionKey } from './collections/collection-access';
import type { CollectionLookup } from './collections/collection-registry';
import { emptyIterator, RangeTracker } from './range-tracker';
import { RwSetBuilder } from './rwset-builder';
import type { CommittedState } from './state-reader';
import type { Version } from './state-record';
import type { TransientStore } from './transient-store';

export interface SimulatorContext {
  readonly txId: string;
  readonly reader: CommittedState;
  /** Where `done()` leaves the private write set until commit. */
  readonly transient: Pick<TransientStore, 'persist'>;
  /** Ledger height when the simulation started (stamps the transient entry). */
  readonly height: number;
  readonly channelId: string;
  /** The collections of each namespace (explicit and implicit). */
  readonly collections: CollectionLookup;
  /** The proposal's creator (member-only checks); unset = nothing checked. */
  readonly creator?: () => VerifiedIdentity | undefined;
  /** The endorsing peer's organisation: it holds only the values of collections it is a member of. */
  readonly endorserMspId: string | undefined;
  /** Fabric's ledger.state.totalQueryLimit. */
  readonly totalQueryLimit: number;
}

/**
 * Simulates one proposal against committed state (Fabric's tx simulator, §1.8): no
 * read-your-writes, one read entry per key, range query infos with raw reads, paginated and
 * private range queries only in read-only transactions.
 */
export class LevelProposalSimulator implements ProposalSimulator {
  readonly #ctx: SimulatorContext;
  readonly #builder = new RwSetBuilder();
  readonly #openRanges = new Set<RangeTracker>();
  readonly #access: CollectionAccess;
  #writePerformed = false;
  #paginatedQueryPerformed = false;
  #privateQueryPerformed = false;
  #done = false;

  constructor(ctx: SimulatorContext) {
    this.#ctx = ctx;
    this.#access = new CollectionAccess({
      channelId: ctx.channelId,
      collections: ctx.collections,
      creator: ctx.creator,
      endorserMspId: ctx.endorserMspId,
    });
  }

  /** The collections whose values this simulation read (Fabric's `PrivateReads`). */
  privateReads(): ReadonlySet<CollectionKey> {
    return this.#access.privateReads();
  }

  /** Records a read with a version known to the caller (the `_lifecycle` definition read). */
  recordRead(namespace: string, key: string, version: Version | undefined): void {
    this.#builder.addRead(namespace, key, version);
  }

  async getState(namespace: string, key: string): Promise<Buffer | undefined> {
    this.#checkDone();
    const record = await this.#ctx.reader.getState(namespace, key);
    this.#builder.addRead(namespace, key, record?.version);
    return record?.value;
  }

  async getStateMetadata(namespace: string, key: string): Promise<ReadonlyMap<string, Buffer>> {
    this.#checkDone();
    const record = await this.#ctx.reader.getState(namespace, key);
    this.#builder.addRead(namespace, key, record?.version);
    return record?.metadata ?? new Map();
  }

  getStateByRange(namespace: string, startKey: string, endKey: string): AsyncIterator<KeyValue> {
    this.#checkDone();
    const tracker = new RangeTracker(
      this.#ctx.reader.iterateState(namespace, startKey, endKey),
      startKey,
      endKey,
      (record) => {
        this.#openRanges.delete(tracker);
        this.#builder.addRangeQuery(namespace, record);
      },
    );
    this.#openRanges.add(tracker);
    return tracker;
  }

  async getStateByRangeWithPagination(
    namespace: string,
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark: string,
  ): Promise<RangePage> {
    this.#checkDone();
    if (this.#writePerformed) {
      throw new Error(
        `txid [${this.#ctx.txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`,
      );
    }
    if (!Number.isInteger(pageSize) || pageSize <= 0) throw new Error(`invalid page size ${pageSize}`);
    this.#paginatedQueryPerformed = true;
    const start = bookmark !== '' ? bookmark : startKey;
    const limit = Math.min(pageSize, this.#ctx.totalQueryLimit);
    const it = this.#ctx.reader.iterateState(namespace, start, endKey);
    const results: KeyValue[] = [];
    const reads: { key: string; version: Version }[] = [];
    let next: string | undefined;
    try {
      for (;;) {
        const entry = await it.next();
        if (entry === undefined) break;
        if (results.length === limit) {
          next = entry.key;
          break;
        }
        results.push({ key: entry.key, value: entry.record.value });
        reads.push({ key: entry.key, version: entry.record.version });
      }
    } finally {
      await it.close();
    }
    const exhausted = next === undefined;
    this.#builder.addRangeQuery(namespace, {
      startKey: start,
      endKey: exhausted ? endKey : (reads[reads.length - 1]?.key ?? endKey),
      itrExhausted: exhausted,
      reads,
    });
    return { results, bookmark: next ?? '' };
  }

  async getHistoryForKey(namespace: string, key: string): Promise<readonly KeyModification[]> {
    this.#checkDone();
    return this.#ctx.reader.history(namespace, key);
  }

  async putState(namespace: string, key: string, value: Buffer): Promise<void> {
    this.#checkWrite();
    this.#builder.addWrite(namespace, key, Buffer.from(value));
    return Promise.resolve();
  }

  async deleteState(namespace: string, key: string): Promise<void> {
    return this.putState(namespace, key, Buffer.alloc(0));
  }

  async setStateMetadata(namespace: string, key: string, name: string, value: Buffer): Promise<void> {
    this.#checkWrite();
    // As Fabric's PUT_STATE_METADATA handler: the write carries only this call's entry.
    this.#builder.addMetadataWrite(namespace, key, new Map([[name, Buffer.from(value)]]));
    return Promise.resolve();
  }

  async getPrivateData(namespace: string, collection: string, key: string): Promise<Buffer | undefined> {
    const definition = this.#access.forRead(namespace, collection);
    this.#checkDone();
    const hashed = await this.#ctx.reader.getHashed(namespace, collection, sha256(key));
    this.#builder.addHashedRead(namespace, collection, key, hashed?.version);
    if (hashed === undefined) {
      this.#access.notePrivateRead(namespace, collection);
      return undefined;
    }
    const value = this.#access.holds(definition)
      ? await this.#ctx.reader.getPrivate(namespace, collection, key)
      : undefined;
    if (
      value === undefined ||
      value.version.blockNum !== hashed.version.blockNum ||
      value.version.txNum !== hashed.version.txNum
    ) {
      throw new Error(
        'private data matching public hash version is not available. ' +
          `Public hash version = ${formatVersion(hashed.version)}, Private data version = ${value ? formatVersion(value.version) : '<nil>'}`,
      );
    }
    this.#access.notePrivateRead(namespace, collection);
    return value.value;
  }

  async getPrivateDataHash(namespace: string, collection: string, key: string): Promise<Buffer | undefined> {
    this.#access.defined(namespace, collection);
    this.#checkDone();
    const hashed = await this.#ctx.reader.getHashed(namespace, collection, sha256(key));
    this.#builder.addHashedRead(namespace, collection, key, hashed?.version);
    return hashed?.value;
  }

  async getPrivateDataMetadata(
    namespace: string,
    collection: string,
    key: string,
  ): Promise<ReadonlyMap<string, Buffer>> {
    this.#access.forRead(namespace, collection);
    this.#checkDone();
    const hashed = await this.#ctx.reader.getHashed(namespace, collection, sha256(key));
    this.#builder.addHashedRead(namespace, collection, key, hashed?.version);
    return hashed?.metadata ?? new Map();
  }

  getPrivateDataByRange(
    namespace: string,
    collection: string,
    startKey: string,
    endKey: string,
  ): AsyncIterator<KeyValue> {
    const definition = this.#access.forRead(namespace, collection);
    this.#checkDone();
    if (this.#writePerformed) {
      throw new Error(
        `txid [${this.#ctx.txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`,
      );
    }
    this.#privateQueryPerformed = true;
    this.#access.notePrivateRead(namespace, collection);
    if (!this.#access.holds(definition)) return emptyIterator();
    // Private range queries record no reads (Fabric §1.8).
    return new RangeTracker(
      this.#ctx.reader.iteratePrivate(namespace, collection, startKey, endKey),
      startKey,
      endKey,
    );
  }

  async putPrivateData(namespace: string, collection: string, key: string, value: Buffer): Promise<void> {
    this.#access.forWrite(namespace, collection);
    this.#checkWrite();
    this.#builder.addPrivateWrite(namespace, collection, key, Buffer.from(value));
    return Promise.resolve();
  }

  async deletePrivateData(namespace: string, collection: string, key: string): Promise<void> {
    return this.putPrivateData(namespace, collection, key, Buffer.alloc(0));
  }

  async purgePrivateData(namespace: string, collection: string, key: string): Promise<void> {
    this.#access.forWrite(namespace, collection);
    this.#checkWrite();
    this.#builder.addPrivateWrite(namespace, collection, key, Buffer.alloc(0), true);
    return Promise.resolve();
  }

  async setPrivateDataMetadata(
    namespace: string,
    collection: string,
    key: string,
    name: string,
    value: Buffer,
  ): Promise<void> {
    this.#access.forWrite(namespace, collection);
    this.#checkWrite();
    this.#builder.addPrivateMetadataWrite(namespace, collection, key, new Map([[name, Buffer.from(value)]]));
    return Promise.resolve();
  }

  done(): Buffer {
    if (this.#done)
      throw new Error('this function should only be called once on a transaction simulator instance');
    this.#done = true;
    for (const tracker of [...this.#openRanges]) tracker.finish(false);
    const results = this.#builder.build();
    if (results.privateRwset !== undefined) {
      this.#ctx.transient.persist(this.#ctx.txId, results.privateRwset, this.#ctx.height);
    }
    return results.publicRwset;
  }

  #checkDone(): void {
    if (this.#done) throw new Error(`txid [${this.#ctx.txId}]: simulation already completed`);
  }

  #checkWrite(): void {
    this.#checkDone();
    if (this.#privateQueryPerformed) {
      throw new Error(
        `txid [${this.#ctx.txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`,
      );
    }
    if (this.#paginatedQueryPerformed) {
      throw new Error(`txid [${this.#ctx.txId}]: ${PAGINATED_WRITE_MESSAGE}`);
    }
    this.#writePerformed = true;
  }
}

function formatVersion(v: Version): string {
  return `{BlockNum: ${v.blockNum}, TxNum: ${v.txNum}}`;
}
