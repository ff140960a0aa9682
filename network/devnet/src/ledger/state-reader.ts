import type { KeyModification } from './tx-simulator';
import { dbKeys, type KeyRange } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { decodeStateRecord, type StateRecord } from './state-record';

export interface RecordEntry {
  readonly key: string;
  readonly record: StateRecord;
}

/** A pull iterator over committed records; always `close()` it. */
export interface RecordIterator {
  next(): Promise<RecordEntry | undefined>;
  close(): Promise<void>;
}

/**
 * What simulation and commit read of committed world state (public, hashed, private) and
 * history: the LevelDB `StateReader`, or an in-memory ledger in tests.
 */
export interface CommittedState {
  getState(ns: string, key: string): Promise<StateRecord | undefined>;
  getHashed(ns: string, coll: string, keyHash: Buffer): Promise<StateRecord | undefined>;
  getPrivate(ns: string, coll: string, key: string): Promise<StateRecord | undefined>;
  /** [start, end) or, with `inclusiveEnd`, [start, end]; '' end = unbounded; keys in UTF-8 byte order. */
  iterateState(ns: string, start: string, end: string, inclusiveEnd?: boolean): RecordIterator;
  iteratePrivate(ns: string, coll: string, start: string, end: string): RecordIterator;
  /** Every committed modification of a key, newest first. */
  history(ns: string, key: string): Promise<KeyModification[]>;
}

/** Reads committed world state (public, hashed, private) and history from the store. */
export class StateReader implements CommittedState {
  readonly #db: LedgerDb;

  constructor(db: LedgerDb) {
    this.#db = db;
  }

  // Point reads use LevelDB's synchronous get: a hit in its block cache takes microseconds,
  // far less than the thread-pool round trip of an async get (about 60 µs of this thread's CPU
  // alone, besides the wait), and commits and chaincode requests read keys one by one.
  getState(ns: string, key: string): Promise<StateRecord | undefined> {
    return Promise.resolve(decodeOptional(this.#db.getSync(dbKeys.state(ns, key))));
  }

  getHashed(ns: string, coll: string, keyHash: Buffer): Promise<StateRecord | undefined> {
    return Promise.resolve(decodeOptional(this.#db.getSync(dbKeys.hashed(ns, coll, keyHash))));
  }

  getPrivate(ns: string, coll: string, key: string): Promise<StateRecord | undefined> {
    return Promise.resolve(decodeOptional(this.#db.getSync(dbKeys.private(ns, coll, key))));
  }

  /** [start, end) or, with `inclusiveEnd`, [start, end]; '' end = unbounded. */
  iterateState(ns: string, start: string, end: string, inclusiveEnd = false): RecordIterator {
    return this.#iterate(dbKeys.stateRange(ns, start, end, inclusiveEnd), dbKeys.statePrefix(ns).length);
  }

  iteratePrivate(ns: string, coll: string, start: string, end: string): RecordIterator {
    return this.#iterate(dbKeys.privateRange(ns, coll, start, end), dbKeys.privatePrefix(ns, coll).length);
  }

  /** Every committed modification of a key, newest first. */
  async history(ns: string, key: string): Promise<KeyModification[]> {
    const prefix = dbKeys.historyPrefix(ns, key);
    const upper = Buffer.concat([prefix, Buffer.alloc(16, 0xff)]);
    const result: KeyModification[] = [];
    for await (const value of this.#db.values({ gte: prefix, lte: upper, reverse: true })) {
      result.push(decodeHistoryEntry(value));
    }
    return result;
  }

  #iterate(range: KeyRange, prefixLength: number): RecordIterator {
    const it = this.#db.iterator({ ...range });
    return {
      next: async () => {
        const entry = await it.next();
        if (entry === undefined) return undefined;
        const [k, v] = entry;
        return { key: k.subarray(prefixLength).toString('utf8'), record: decodeStateRecord(v) };
      },
      close: () => it.close(),
    };
  }
}

function decodeOptional(bytes: Buffer | undefined): StateRecord | undefined {
  return bytes === undefined ? undefined : decodeStateRecord(bytes);
}

/** Layout: u16 txId length, txId, u8 isDelete, i64 seconds, u32 nanos, value. */
export function encodeHistoryEntry(entry: KeyModification): Buffer {
  const txId = Buffer.from(entry.txId, 'utf8');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(txId.length);
  const rest = Buffer.alloc(13);
  rest.writeUInt8(entry.isDelete ? 1 : 0, 0);
  rest.writeBigInt64BE(BigInt(entry.timestamp.seconds), 1);
  rest.writeUInt32BE(entry.timestamp.nanos, 9);
  return Buffer.concat([head, txId, rest, entry.value]);
}

export function decodeHistoryEntry(bytes: Buffer): KeyModification {
  const txIdLength = bytes.readUInt16BE(0);
  const txId = bytes.toString('utf8', 2, 2 + txIdLength);
  const pos = 2 + txIdLength;
  return {
    txId,
    isDelete: bytes.readUInt8(pos) === 1,
    timestamp: { seconds: Number(bytes.readBigInt64BE(pos + 1)), nanos: bytes.readUInt32BE(pos + 9) },
    value: Buffer.from(bytes.subarray(pos + 13)),
  };
}
