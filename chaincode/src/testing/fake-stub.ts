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
}

/**
 * One transaction's stub over a FakeLedger, behaving like fabric-shim's ChaincodeStub where the
 * chaincode relies on it: reads see committed state only (no read-your-writes), an empty value
 * is a delete, keys order by UTF-8 bytes, range bounds may not start with U+0000, paginated
 * queries forbid later writes, the last setEvent wins, private data and hashes per collection.
 */
export class FakeStub {
  readonly #ledger: FakeLedger;
  readonly #options: FakeStubOptions;
  readonly #state = new Map<string, Buffer | undefined>();
  readonly #private = new Map<string, Map<string, Buffer | undefined>>();
  readonly #validation = new Map<string, Buffer>();
  #paginated = false;
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

  #beforeWrite(): void {
    if (this.#paginated) throw new Error(`txid [${this.#options.txId}]: ${PAGINATED_WRITE_ERROR}`);
    this.#wrote = true;
  }

  async getState(key: string): Promise<Uint8Array> {
    return this.#ledger.state.get(key)?.value ?? Buffer.alloc(0);
  }
  async putState(key: string, value: Uint8Array): Promise<void> {
    if (key === '') throw new Error('key must not be an empty string');
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

  #rangeChecked(start: string, end: string): KV[] {
    for (const k of [start, end]) {
      if (k.charAt(0) === '\u0000') {
        throw new Error(`first character of the key [${k}] contains a null character which is not allowed`);
      }
    }
    return this.#ledger
      .range(start === '' ? '\u0001' : start, end)
      .map(([key, v]) => ({ namespace: 'careledger', key, value: v.value }));
  }

  getStateByRange(start: string, end: string): Promise<Iter<KV>> & AsyncIterable<KV> {
    const promise = Promise.resolve().then(() => iterate(this.#rangeChecked(start, end)));
    return Object.assign(promise, {
      [Symbol.asyncIterator]: () => {
        let inner: Iter<KV> | undefined;
        return { next: async () => (inner ??= await promise).next() };
      },
    }) as Promise<Iter<KV>> & AsyncIterable<KV>;
  }

  async getStateByRangeWithPagination(
    start: string,
    end: string,
    pageSize: number,
    bookmark = '',
  ): Promise<StateQueryResponse<Iter<KV>>> {
    if (this.#wrote)
      throw new Error(
        `txid [${this.#options.txId}]: unsuppored transaction. Transaction has already performed a write. Paginated queries are not allowed`,
      );
    this.#paginated = true;
    const all = this.#rangeChecked(bookmark !== '' ? bookmark : start, end);
    const page = all.slice(0, pageSize);
    const next = all[pageSize]?.key ?? '';
    return { iterator: iterate(page), metadata: { fetchedRecordsCount: page.length, bookmark: next } };
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
    return this.#ledger.privateData.get(collection)?.get(key) ?? Buffer.alloc(0);
  }
  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    return this.#ledger.privateHash(collection, key) ?? Buffer.alloc(0);
  }
  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
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
