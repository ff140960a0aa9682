import { createHash } from 'node:crypto';

/**
 * The committed side of the in-memory test ledger: world state with versions, private data
 * per collection, key metadata (state validation parameters) and key history. A FakeStub
 * simulates one transaction against it; `commit` applies the transaction's writes.
 */
export interface StoredValue {
  readonly value: Buffer;
  readonly version: number;
}

export interface HistoryRecord {
  readonly txId: string;
  readonly value: Buffer;
  readonly isDelete: boolean;
  readonly timestamp: Date;
}

export interface TxWrites {
  readonly txId: string;
  readonly timestamp: Date;
  readonly state: ReadonlyMap<string, Buffer | undefined>;
  readonly privateData: ReadonlyMap<string, ReadonlyMap<string, Buffer | undefined>>;
  readonly validationParameters: ReadonlyMap<string, Buffer>;
}

/** Keys compare by their UTF-8 bytes, as LevelDB orders them. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class FakeLedger {
  readonly state = new Map<string, StoredValue>();
  readonly privateData = new Map<string, Map<string, Buffer>>();
  readonly validationParameters = new Map<string, Buffer>();
  readonly history = new Map<string, HistoryRecord[]>();
  #version = 0;

  /** Committed keys in [start, end) ('' end = unbounded), in byte order. */
  range(start: string, end: string): [string, StoredValue][] {
    return [...this.state.entries()]
      .filter(([k]) => compareKeys(k, start) >= 0 && (end === '' || compareKeys(k, end) < 0))
      .sort(([a], [b]) => compareKeys(a, b));
  }

  privateHash(collection: string, key: string): Buffer | undefined {
    const value = this.privateData.get(collection)?.get(key);
    return value && createHash('sha256').update(value).digest();
  }

  commit(writes: TxWrites): void {
    this.#version += 1;
    for (const [key, value] of writes.state) {
      const list = this.history.get(key) ?? [];
      list.push({
        txId: writes.txId,
        value: value ?? Buffer.alloc(0),
        isDelete: !value,
        timestamp: writes.timestamp,
      });
      this.history.set(key, list);
      if (value) {
        this.state.set(key, { value, version: this.#version });
      } else {
        this.state.delete(key);
        this.validationParameters.delete(key);
      }
    }
    for (const [collection, entries] of writes.privateData) {
      const store = this.privateData.get(collection) ?? new Map<string, Buffer>();
      for (const [key, value] of entries) {
        if (value) store.set(key, value);
        else store.delete(key);
      }
      this.privateData.set(collection, store);
    }
    for (const [key, value] of writes.validationParameters) this.validationParameters.set(key, value);
  }
}
