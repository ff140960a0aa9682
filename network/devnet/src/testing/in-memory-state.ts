import type { BlockUpdates, PendingWrite } from '../ledger/block-updates';
import { compareUtf8 } from '../ledger/key-order';
import type { CommittedState, RecordEntry, RecordIterator } from '../ledger/state-reader';
import type { StateRecord } from '../ledger/state-record';
import type { HistoryWrite } from '../ledger/write-applier';
import type { KeyModification } from '../ledger/tx-simulator';

type Space = Map<string, Map<string, StateRecord>>;

/** The space of a collection in the hashed and private tables: `namespace\0collection`. */
function collectionSpace(ns: string, coll: string): string {
  return `${ns}\u0000${coll}`;
}

/**
 * TEST SUPPORT: committed world state held in Maps instead of LevelDB: public state, hashed
 * private state (by key hash, hex) and private values per collection, each record with its
 * version and metadata, and key history. It answers reads as the LevelDB `StateReader` does
 * (keys in UTF-8 byte order, '' end = unbounded, history newest first) and counts its open
 * iterators, so a test can prove that the peer closed them.
 */
export class InMemoryState implements CommittedState {
  readonly #public: Space = new Map();
  readonly #hashed: Space = new Map();
  readonly #private: Space = new Map();
  readonly #history = new Map<string, KeyModification[]>();
  #openIterators = 0;

  /** Range iterators opened and not yet closed. */
  get openIterators(): number {
    return this.#openIterators;
  }

  getState(ns: string, key: string): Promise<StateRecord | undefined> {
    return Promise.resolve(this.#public.get(ns)?.get(key));
  }

  getHashed(ns: string, coll: string, keyHash: Buffer): Promise<StateRecord | undefined> {
    return Promise.resolve(this.#hashed.get(collectionSpace(ns, coll))?.get(keyHash.toString('hex')));
  }

  getPrivate(ns: string, coll: string, key: string): Promise<StateRecord | undefined> {
    return Promise.resolve(this.#private.get(collectionSpace(ns, coll))?.get(key));
  }

  iterateState(ns: string, start: string, end: string, inclusiveEnd = false): RecordIterator {
    return this.#iterate(this.#public.get(ns), start, end, inclusiveEnd);
  }

  iteratePrivate(ns: string, coll: string, start: string, end: string): RecordIterator {
    return this.#iterate(this.#private.get(collectionSpace(ns, coll)), start, end, false);
  }

  history(ns: string, key: string): Promise<KeyModification[]> {
    return Promise.resolve([...(this.#history.get(historyId(ns, key)) ?? [])].reverse());
  }

  /** The committed public records of a namespace, in key byte order. */
  publicRecords(ns: string): [string, StateRecord][] {
    return sorted(this.#public.get(ns));
  }

  /** The committed private records of a collection, in key byte order. */
  privateRecords(ns: string, coll: string): [string, StateRecord][] {
    return sorted(this.#private.get(collectionSpace(ns, coll)));
  }

  /** The collections of a namespace that hold private values. */
  collections(ns: string): string[] {
    const prefix = collectionSpace(ns, '');
    return [...this.#private.keys()]
      .filter((space) => space.startsWith(prefix) && (this.#private.get(space)?.size ?? 0) > 0)
      .map((space) => space.slice(prefix.length))
      .sort(compareUtf8);
  }

  /** Stores a block's updates and history, as the committer's batch would. */
  apply(updates: BlockUpdates, history: readonly HistoryWrite[]): void {
    applySpace(this.#public, updates.public);
    applySpace(this.#hashed, updates.hashed);
    applySpace(this.#private, updates.private);
    for (const h of history) {
      const id = historyId(h.namespace, h.key);
      this.#history.set(id, [...(this.#history.get(id) ?? []), h.entry]);
    }
  }

  #iterate(
    records: Map<string, StateRecord> | undefined,
    start: string,
    end: string,
    inclusiveEnd: boolean,
  ): RecordIterator {
    const entries: RecordEntry[] = sorted(records)
      .filter(([key]) => compareUtf8(key, start) >= 0 && inRangeEnd(key, end, inclusiveEnd))
      .map(([key, record]) => ({ key, record }));
    let index = 0;
    let open = true;
    this.#openIterators += 1;
    return {
      next: () => Promise.resolve(open ? entries[index++] : undefined),
      close: () => {
        if (open) this.#openIterators -= 1;
        open = false;
        return Promise.resolve();
      },
    };
  }
}

function historyId(ns: string, key: string): string {
  return `${ns}\u0000${key}`;
}

function inRangeEnd(key: string, end: string, inclusiveEnd: boolean): boolean {
  if (end === '') return true;
  const c = compareUtf8(key, end);
  return inclusiveEnd ? c <= 0 : c < 0;
}

function sorted(records: Map<string, StateRecord> | undefined): [string, StateRecord][] {
  return [...(records ?? new Map<string, StateRecord>())].sort(([a], [b]) => compareUtf8(a, b));
}

function applySpace(target: Space, updates: Map<string, Map<string, PendingWrite>>): void {
  for (const [ns, byKey] of updates) {
    const records = target.get(ns) ?? new Map<string, StateRecord>();
    for (const write of byKey.values()) {
      if (write.record === undefined) records.delete(write.key);
      else records.set(write.key, write.record);
    }
    target.set(ns, records);
  }
}
