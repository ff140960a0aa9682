import type { BlockUpdates, PendingWrite } from './block-updates';
import type { StateRecord } from './state-record';
import type { CommittedRecords } from './write-applier';

type Space = Map<string, Map<string, StateRecord>>;

/** World state as the blocks produce it: public and hashed private records (private values are not in blocks). */
export class RebuiltState implements CommittedRecords {
  readonly public: Space = new Map();
  /** `namespace\0collection` → key hash (hex) → record, as in `BlockUpdates`. */
  readonly hashed: Space = new Map();

  getState(ns: string, key: string): Promise<StateRecord | undefined> {
    return Promise.resolve(this.public.get(ns)?.get(key));
  }

  getHashed(ns: string, coll: string, keyHash: Buffer): Promise<StateRecord | undefined> {
    return Promise.resolve(this.hashed.get(`${ns}\u0000${coll}`)?.get(keyHash.toString('hex')));
  }

  getPrivate(): Promise<StateRecord | undefined> {
    return Promise.resolve(undefined);
  }

  /** Stores a block's updates, as the committer's batch does. */
  apply(updates: BlockUpdates): void {
    for (const [target, source] of [
      [this.public, updates.public],
      [this.hashed, updates.hashed],
    ] as const) {
      for (const [ns, byKey] of source) for (const write of byKey.values()) put(target, ns, write);
    }
  }

  /** Stores one public write at once (the `_lifecycle` records of a config block). */
  putPublic(ns: string, write: PendingWrite): void {
    put(this.public, ns, write);
  }
}

function put(space: Space, ns: string, write: PendingWrite): void {
  let byKey = space.get(ns);
  if (byKey === undefined) {
    byKey = new Map();
    space.set(ns, byKey);
  }
  const record = write.record;
  if (record === undefined) byKey.delete(write.key);
  else {
    byKey.set(write.key, {
      value: detached(record.value),
      version: record.version,
      metadata: new Map([...record.metadata].map(([name, value]) => [name, detached(value)])),
    });
  }
}

/**
 * A copy in memory of its own. A small Buffer is a slice of an 8 KB pool slab; keeping it would keep
 * the whole slab, and the envelope copies in it, for the rest of the run.
 */
function detached(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
