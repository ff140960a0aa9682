import { compareUtf8 } from './key-order';
import type { StateRecord, Version } from './state-record';

/** A key written by an earlier valid transaction of the block being committed. */
export interface PendingWrite {
  readonly key: string;
  /** undefined = deleted */
  readonly record: StateRecord | undefined;
  /** The VALIDATION_PARAMETER (or any metadata) of the key changed in this block. */
  readonly metadataChanged: boolean;
}

type Space = Map<string, Map<string, PendingWrite>>;

/**
 * The writes of the valid transactions of the block being committed, which later
 * transactions in the same block are validated against (MVCC, phantom reads, key policies).
 */
export class BlockUpdates {
  readonly public: Space = new Map();
  /** Namespace "ns\0coll" → key hash (hex) → write. */
  readonly hashed: Space = new Map();
  /** Namespace "ns\0coll" → key → write. */
  readonly private: Space = new Map();

  static get(space: Space, ns: string, key: string): PendingWrite | undefined {
    return space.get(ns)?.get(key);
  }

  static set(space: Space, ns: string, write: PendingWrite): void {
    let byKey = space.get(ns);
    if (byKey === undefined) {
      byKey = new Map();
      space.set(ns, byKey);
    }
    const previous = byKey.get(write.key);
    byKey.set(write.key, {
      ...write,
      metadataChanged: write.metadataChanged || (previous?.metadataChanged ?? false),
    });
  }

  /** Pending public writes of `ns` within [start, end) (or [start, end] if inclusive), sorted by key bytes. */
  publicInRange(ns: string, start: string, end: string, inclusiveEnd: boolean): PendingWrite[] {
    const byKey = this.public.get(ns);
    if (byKey === undefined) return [];
    return [...byKey.values()]
      .filter((w) => {
        if (compareUtf8(w.key, start) < 0) return false;
        if (end === '') return true;
        const c = compareUtf8(w.key, end);
        return inclusiveEnd ? c <= 0 : c < 0;
      })
      .sort((a, b) => compareUtf8(a.key, b.key));
  }
}

export function versionOf(write: PendingWrite | undefined): Version | undefined {
  return write?.record?.version;
}
