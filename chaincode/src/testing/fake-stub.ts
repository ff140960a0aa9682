import type { ChaincodeStub, Iterators, StateQueryResponse } from 'fabric-shim-api';
import { compareKeys, type FakeLedger, type TxWrites } from './fake-ledger';

type KV = Iterators.KV;

interface Iter<T> {
  next(): Promise<{ value: T; done: boolean }>;
  close(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

function iterate<T>(items: readonly T[]): Iter<T> {
  let i = 0;
  const it = {
    next: async () =>
      i < items.length ? { value: items[i++] as T, done: false } : { value: undefined as T, done: true },
    close: async () => undefined,
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

/** Fabric's own wording (with its spelling) for a write after a paginated query. */
export const PAGINATED_WRITE_ERROR =
  'unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed';

export interface FakeStubOptions {
  readonly txId: string;
  readonly timestamp: Date;
  readonly mspId: string;
  readonly transient?: ReadonlyMap<string, Buffer>;
  /** The serialized identity's parts, as `getCreator()` returns them (a PEM certificate). */
  readonly creatorPem?: string;
  /** The invocation's arguments, function name first. */
  readonly args?: readonly string[];
  /**
   * The organisation of the peer that runs the transaction. Its peers alone hold the values of
   * its implicit collection (`_implicit_org_<MSP>`); elsewhere only their hashes. Default: mspId.
   */
  readonly peerMspId?: string;
}

const IMPLICIT_PREFIX = '_implicit_org_';

/** Fabric's answer to a read of a private value this peer does not hold (its hash is known). */
export const PRIVATE_DATA_NOT_AVAILABLE = 'private data matching public hash version is not available';

const COMPOSITE_NS = '\u0000';
const MAX_RUNE = '\u{10ffff}';

function checkCompositePart(part: string): void {
  if (typeof part !== 'string' || part.length === 0) {
    throw new Error('object type or attribute not a non-zero length string');
  }
}

function checkPrivateArguments(collection: string, key: string): void {
  if (!collection) throw new Error('collection must be a valid string');
  if (!key) throw new Error('key must be a valid string');
}

function checkSimpleKeys(...keys: string[]): void {
  for (const k of keys) {
    if (k.charAt(0) === COMPOSITE_NS) {
      throw new Error(`first character of the key [${k}] contains a null character which is not allowed`);
    }
  }
}

/**
 * One transaction's stub over a FakeLedger, behaving like fabric-shim's ChaincodeStub where the
 * chaincode relies on it: reads see committed state only (no read-your-writes), an empty value
 * is a delete, keys order by UTF-8 bytes, range bounds may not start with U+0000, paginated
 * queries forbid later writes (and follow writes), the last setEvent wins, private data and hashes
 * per collection, composite keys in their U+0000 namespace, history newest first.
 */
export class FakeStub {
  readonly #ledger: FakeLedger;
  readonly #options: FakeStubOptions;
  readonly #state = new Map<string, Buffer | undefined>();
  readonly #private = new Map<string, Map<string, Buffer | undefined>>();
  readonly #validation = new Map<string, Buffer>();
  #paginated = false;
  #privateQueried = false;
  #wrote = false;
  event: { name: string; payload: Buffer } | undefined;

  constructor(ledger: FakeLedger, options: FakeStubOptions) {
    this.#ledger = ledger;
    this.#options = options;
  }

  /** This stub as the shim's interface, for a fabric-contract-api Context. */
  asChaincodeStub(): ChaincodeStub {
    return this as unknown as ChaincodeStub;
  }

  writes(): TxWrites {
    return {
      txId: this.#options.txId,
      timestamp: this.#options.timestamp,
      state: this.#state,
      privateData: this.#private,
      validationParameters: this.#validation,
    };
  }

  hasWrites(): boolean {
    return this.#state.size > 0 || this.#private.size > 0 || this.#validation.size > 0;
  }

  getTxID(): string {
    return this.#options.txId;
  }
  getChannelID(): string {
    return 'healthchannel';
  }
  getMspID(): string {
    return this.#options.mspId;
  }
  getDateTimestamp(): Date {
    return new Date(this.#options.timestamp.getTime());
  }
  getTxTimestamp(): { seconds: number; nanos: number } {
    const ms = this.#options.timestamp.getTime();
    return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
  }
  getTransient(): Map<string, Uint8Array> {
    return new Map(this.#options.transient ?? []);
  }
  getCreator(): { mspid: string; idBytes: Buffer } {
    return { mspid: this.#options.mspId, idBytes: Buffer.from(this.#options.creatorPem ?? '') };
  }
  getArgs(): string[] {
    return [...(this.#options.args ?? [])];
  }
  getStringArgs(): string[] {
    return this.getArgs();
  }
  getBufferArgs(): Buffer[] {
    return this.getArgs().map((a) => Buffer.from(a));
  }
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const [fcn = '', ...params] = this.getArgs();
    return { fcn, params };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    checkCompositePart(objectType);
    if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
    attributes.forEach(checkCompositePart);
    return [COMPOSITE_NS + objectType, ...attributes, ''].join(COMPOSITE_NS);
  }
  splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
    if (compositeKey.length < 2 || compositeKey.charAt(0) !== COMPOSITE_NS) {
      return { objectType: null, attributes: [] };
    }
    const [objectType = null, ...rest] = compositeKey.slice(1).split(COMPOSITE_NS);
    return { objectType, attributes: rest.slice(0, -1) };
  }

  #beforeWrite(): void {
    if (this.#privateQueried) {
      throw new Error(
        `txid [${this.#options.txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`,
      );
    }
    if (this.#paginated) throw new Error(`txid [${this.#options.txId}]: ${PAGINATED_WRITE_ERROR}`);
    this.#wrote = true;
  }

  /** Whether this peer holds the values of a collection (implicit collections: their own organisation only). */
  #holds(collection: string): boolean {
    return (
      !collection.startsWith(IMPLICIT_PREFIX) ||
      collection.slice(IMPLICIT_PREFIX.length) === (this.#options.peerMspId ?? this.#options.mspId)
    );
  }

  async getState(key: string): Promise<Uint8Array> {
    return this.#ledger.state.get(key)?.value ?? Buffer.alloc(0);
  }
  // Like the shim and the peer, any key is accepted here (even '' or one starting with U+0000):
  // the chaincode must validate its own keys.
  async putState(key: string, value: Uint8Array): Promise<void> {
    this.#beforeWrite();
    this.#state.set(key, value.length === 0 ? undefined : Buffer.from(value));
  }
  async deleteState(key: string): Promise<void> {
    this.#beforeWrite();
    this.#state.set(key, undefined);
  }
  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.#beforeWrite();
    this.#validation.set(key, Buffer.from(ep));
  }
  async getStateValidationParameter(key: string): Promise<Uint8Array> {
    return this.#ledger.validationParameters.get(key) ?? Buffer.alloc(0);
  }

  #collect(start: string, end: string): KV[] {
    return this.#ledger
      .range(start === '' ? '\u0001' : start, end)
      .map(([key, v]) => ({ namespace: 'careledger', key, value: v.value }));
  }

  getStateByRange(start: string, end: string): Promise<Iter<KV>> & AsyncIterable<KV> {
    return this.#rangeIterator(() => {
      checkSimpleKeys(start, end);
      return this.#collect(start, end);
    });
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iter<KV>> & AsyncIterable<KV> {
    return this.#rangeIterator(() => {
      const prefix = this.createCompositeKey(objectType, attributes);
      return this.#collect(prefix, prefix + MAX_RUNE);
    });
  }

  /** The shim's promise of an iterator that is also async-iterable (not for paginated queries). */
  #rangeIterator(collect: () => KV[]): Promise<Iter<KV>> & AsyncIterable<KV>;
  #rangeIterator(collect: () => KV[], wrapped: true): Promise<{ iterator: Iter<KV> }> & AsyncIterable<KV>;
  #rangeIterator(collect: () => KV[], wrapped = false): Promise<unknown> & AsyncIterable<KV> {
    const inner = Promise.resolve().then(() => iterate(collect()));
    const promise = wrapped ? inner.then((iterator) => ({ iterator })) : inner;
    return Object.assign(promise, {
      [Symbol.asyncIterator]: () => {
        let it: Iter<KV> | undefined;
        return {
          next: async () => (it ??= await inner).next(),
          return: async () => ({ done: true as const, value: undefined }),
        };
      },
    }) as Promise<unknown> & AsyncIterable<KV>;
  }

  async getStateByRangeWithPagination(
    start: string,
    end: string,
    pageSize: number,
    bookmark = '',
  ): Promise<StateQueryResponse<Iter<KV>>> {
    checkSimpleKeys(start, end);
    return this.#page(start, end, pageSize, bookmark);
  }

  async getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark = '',
  ): Promise<StateQueryResponse<Iter<KV>>> {
    const prefix = this.createCompositeKey(objectType, attributes);
    return this.#page(prefix, prefix + MAX_RUNE, pageSize, bookmark);
  }

  /** A page as the peer serves it: the bookmark replaces the start; the next key or '' is returned. */
  #page(start: string, end: string, pageSize: number, bookmark: string): StateQueryResponse<Iter<KV>> {
    if (this.#wrote)
      throw new Error(
        `txid [${this.#options.txId}]: unsuppored transaction. Transaction has already performed a write. Paginated queries are not allowed`,
      );
    this.#paginated = true;
    const all = this.#collect(bookmark !== '' ? bookmark : start, end);
    const page = all.slice(0, pageSize);
    const next = all[pageSize]?.key ?? '';
    // The peer's QueryResponseMetadata {0, ''} marshals to no bytes at all, and fabric-shim then
    // gives no metadata (seen on Fabric 2.5.5): an empty last page has `metadata` undefined,
    // whatever the shim's typings say.
    const metadata =
      page.length === 0 && next === ''
        ? (undefined as unknown as StateQueryResponse<Iter<KV>>['metadata'])
        : { fetchedRecordsCount: page.length, bookmark: next };
    return { iterator: iterate(page), metadata };
  }

  async getHistoryForKey(key: string): Promise<Iter<Iterators.KeyModification>> {
    const records = [...(this.#ledger.history.get(key) ?? [])].reverse();
    return iterate(
      records.map((r) => ({
        txId: r.txId,
        value: r.value,
        isDelete: r.isDelete,
        timestamp: {
          seconds: Math.floor(r.timestamp.getTime() / 1000),
          nanos: (r.timestamp.getTime() % 1000) * 1e6,
        },
      })) as unknown as Iterators.KeyModification[],
    );
  }

  async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    checkPrivateArguments(collection, key);
    const value = this.#ledger.privateData.get(collection)?.get(key);
    if (value && !this.#holds(collection)) {
      throw new Error(
        `${PRIVATE_DATA_NOT_AVAILABLE}. Public hash version = {1 0}, Private data version = <nil>`,
      );
    }
    return value ?? Buffer.alloc(0);
  }

  /**
   * A range of a collection, as the peer serves it: only in a transaction that has not written
   * (and it forbids later writes); on a peer that does not hold the collection, nothing.
   */
  getPrivateDataByRange(
    collection: string,
    start: string,
    end: string,
  ): Promise<{ iterator: Iter<KV> }> & AsyncIterable<KV> {
    // Like the shim, the promise resolves to an object holding the iterator (a PrivateQueryResponse).
    return this.#rangeIterator(() => {
      checkPrivateArguments(collection, 'range');
      if (this.#wrote) {
        throw new Error(
          `txid [${this.#options.txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`,
        );
      }
      this.#privateQueried = true;
      if (!this.#holds(collection)) return [];
      return [...(this.#ledger.privateData.get(collection)?.entries() ?? [])]
        .filter(([k]) => compareKeys(k, start) >= 0 && (end === '' || compareKeys(k, end) < 0))
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([key, value]) => ({ namespace: 'careledger', key, value }));
    }, true);
  }
  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    checkPrivateArguments(collection, key);
    return this.#ledger.privateHash(collection, key) ?? Buffer.alloc(0);
  }
  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    checkPrivateArguments(collection, key);
    if (!value) throw new Error('value must be valid');
    this.#beforeWrite();
    const entries = this.#private.get(collection) ?? new Map<string, Buffer | undefined>();
    entries.set(key, value.length === 0 ? undefined : Buffer.from(value));
    this.#private.set(collection, entries);
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (name === '') throw new Error('Event name must be a non-empty string');
    this.event = { name, payload: Buffer.from(payload) };
  }
}

export { compareKeys };
