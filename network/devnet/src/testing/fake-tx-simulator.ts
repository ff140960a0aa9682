import { createHash } from 'node:crypto';
import type { KeyModification, KeyValue, RangePage, TxSimulator } from '../ledger/tx-simulator';

/** What the fake recorded for one write call. */
export interface FakeWrite {
  readonly namespace: string;
  readonly collection?: string;
  readonly key: string;
  readonly kind: 'put' | 'delete' | 'purge';
  readonly value?: Buffer;
}

export interface FakeMetadataWrite {
  readonly namespace: string;
  readonly collection?: string;
  readonly key: string;
  readonly name: string;
  readonly value: Buffer;
}

type Method = keyof TxSimulator;

/**
 * TEST DOUBLE, not the ledger: an in-memory TxSimulator for chaincode-runtime tests. Reads see
 * only the seeded ("committed") data, never this transaction's writes, as Fabric's simulator
 * does; writes are recorded in call order for assertions. Keys are ordered by UTF-8 bytes.
 */
export class FakeTxSimulator implements TxSimulator {
  readonly writes: FakeWrite[] = [];
  readonly metadataWrites: FakeMetadataWrite[] = [];
  /** Range iterators handed out, and how many were closed (exhausted or returned). */
  iteratorsOpened = 0;
  iteratorsClosed = 0;
  readonly #state = new Map<string, Buffer>();
  readonly #metadata = new Map<string, Map<string, Buffer>>();
  readonly #history = new Map<string, KeyModification[]>();
  readonly #failures = new Map<Method, string>();

  /** Commits a value (and optionally metadata) as if an earlier block had written it. */
  seed(namespace: string, key: string, value: Buffer | string, collection = ''): this {
    this.#state.set(slot(namespace, collection, key), Buffer.from(value));
    return this;
  }

  seedMetadata(namespace: string, key: string, name: string, value: Buffer, collection = ''): this {
    const id = slot(namespace, collection, key);
    const entries = this.#metadata.get(id) ?? new Map<string, Buffer>();
    entries.set(name, value);
    this.#metadata.set(id, entries);
    return this;
  }

  /** History entries, newest first, as the ledger returns them. */
  seedHistory(namespace: string, key: string, entries: readonly KeyModification[]): this {
    this.#history.set(slot(namespace, '', key), [...entries]);
    return this;
  }

  /** Makes every later call of `method` throw `message`. */
  failOn(method: Method, message: string): this {
    this.#failures.set(method, message);
    return this;
  }

  async getState(namespace: string, key: string): Promise<Buffer | undefined> {
    this.#check('getState');
    return this.#state.get(slot(namespace, '', key));
  }

  async getStateMetadata(namespace: string, key: string): Promise<ReadonlyMap<string, Buffer>> {
    this.#check('getStateMetadata');
    return this.#metadata.get(slot(namespace, '', key)) ?? new Map();
  }

  getStateByRange(namespace: string, startKey: string, endKey: string): AsyncIterator<KeyValue> {
    this.#check('getStateByRange');
    return this.#iterate(this.#range(namespace, '', startKey, endKey));
  }

  async getStateByRangeWithPagination(
    namespace: string,
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark: string,
  ): Promise<RangePage> {
    this.#check('getStateByRangeWithPagination');
    const all = this.#range(namespace, '', bookmark !== '' ? bookmark : startKey, endKey);
    return { results: all.slice(0, pageSize), bookmark: all[pageSize]?.key ?? '' };
  }

  async getHistoryForKey(namespace: string, key: string): Promise<readonly KeyModification[]> {
    this.#check('getHistoryForKey');
    return this.#history.get(slot(namespace, '', key)) ?? [];
  }

  async putState(namespace: string, key: string, value: Buffer): Promise<void> {
    this.#check('putState');
    this.writes.push({ namespace, key, kind: value.length === 0 ? 'delete' : 'put', value });
  }

  async deleteState(namespace: string, key: string): Promise<void> {
    this.#check('deleteState');
    this.writes.push({ namespace, key, kind: 'delete' });
  }

  async setStateMetadata(namespace: string, key: string, name: string, value: Buffer): Promise<void> {
    this.#check('setStateMetadata');
    this.metadataWrites.push({ namespace, key, name, value });
  }

  async getPrivateData(namespace: string, collection: string, key: string): Promise<Buffer | undefined> {
    this.#check('getPrivateData');
    return this.#state.get(slot(namespace, collection, key));
  }

  async getPrivateDataHash(namespace: string, collection: string, key: string): Promise<Buffer | undefined> {
    this.#check('getPrivateDataHash');
    const value = this.#state.get(slot(namespace, collection, key));
    return value === undefined ? undefined : createHash('sha256').update(value).digest();
  }

  async getPrivateDataMetadata(
    namespace: string,
    collection: string,
    key: string,
  ): Promise<ReadonlyMap<string, Buffer>> {
    this.#check('getPrivateDataMetadata');
    return this.#metadata.get(slot(namespace, collection, key)) ?? new Map();
  }

  getPrivateDataByRange(
    namespace: string,
    collection: string,
    startKey: string,
    endKey: string,
  ): AsyncIterator<KeyValue> {
    this.#check('getPrivateDataByRange');
    return this.#iterate(this.#range(namespace, collection, startKey, endKey));
  }

  async putPrivateData(namespace: string, collection: string, key: string, value: Buffer): Promise<void> {
    this.#check('putPrivateData');
    this.writes.push({ namespace, collection, key, kind: 'put', value });
  }

  async deletePrivateData(namespace: string, collection: string, key: string): Promise<void> {
    this.#check('deletePrivateData');
    this.writes.push({ namespace, collection, key, kind: 'delete' });
  }

  async purgePrivateData(namespace: string, collection: string, key: string): Promise<void> {
    this.#check('purgePrivateData');
    this.writes.push({ namespace, collection, key, kind: 'purge' });
  }

  async setPrivateDataMetadata(
    namespace: string,
    collection: string,
    key: string,
    name: string,
    value: Buffer,
  ): Promise<void> {
    this.#check('setPrivateDataMetadata');
    this.metadataWrites.push({ namespace, collection, key, name, value });
  }

  #check(method: Method): void {
    const failure = this.#failures.get(method);
    if (failure !== undefined) throw new Error(failure);
  }

  #range(namespace: string, collection: string, startKey: string, endKey: string): KeyValue[] {
    const prefix = slot(namespace, collection, '');
    const start = Buffer.from(startKey);
    const end = Buffer.from(endKey);
    return [...this.#state.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, value]) => ({ key: id.slice(prefix.length), value }))
      .filter(({ key }) => {
        const k = Buffer.from(key);
        return Buffer.compare(k, start) >= 0 && (endKey === '' || Buffer.compare(k, end) < 0);
      })
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  #iterate(items: KeyValue[]): AsyncIterator<KeyValue> {
    this.iteratorsOpened++;
    let index = 0;
    let closed = false;
    const close = (): void => {
      if (!closed) this.iteratorsClosed++;
      closed = true;
    };
    return {
      next: async () => {
        if (closed || index >= items.length) {
          close();
          return { done: true, value: undefined };
        }
        return { done: false, value: items[index++] as KeyValue };
      },
      return: async () => {
        close();
        return { done: true, value: undefined };
      },
    };
  }
}

function slot(namespace: string, collection: string, key: string): string {
  return `${namespace}\u0000${collection}\u0000${key}`;
}
