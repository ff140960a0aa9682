import { dbKeys } from './db-keys';
import { sha256 } from './key-order';
import type { LedgerDb } from './ledger-db';
import { messageOf } from '../error-message';
import { metadataText, valueText, versionText } from './problem-text';
import type { RebuiltState } from './rebuilt-state';
import { decodeStateRecord, sameVersion, type StateRecord } from './state-record';
import type { ReportProblem } from './verify-report';

/**
 * The stored public and hashed private state against the state rebuilt from the blocks, key by key
 * (value, version, metadata; missing and extra keys). Takes the compared records out of `rebuilt`.
 * @returns the number of stored public and hashed state entries.
 */
export async function compareWorldState(
  db: LedgerDb,
  rebuilt: RebuiltState,
  problem: ReportProblem,
): Promise<number> {
  const comparison = new StateComparison(db, rebuilt, problem);
  return (await comparison.comparePublic()) + (await comparison.compareHashed());
}

/**
 * Each stored private value against its hashed state entry (key hash, value hash, version).
 * @returns the number of stored private values.
 */
export async function checkPrivateValues(db: LedgerDb, problem: ReportProblem): Promise<number> {
  let count = 0;
  for await (const [key, value] of db.iterator(dbKeys.tableRange('private'))) {
    count += 1;
    const names = collectionKeyNames(key);
    if (names === undefined) {
      problem({ what: `malformed private state key ${key.toString('hex')}` });
      continue;
    }
    const { ns, coll } = names;
    const k = key.toString('utf8', names.rest);
    const label = `${ns}:${coll}:${k}`;
    let stored: StateRecord;
    let hashed: StateRecord | undefined;
    try {
      stored = decodeStateRecord(value);
      const hashedBytes = db.getSync(dbKeys.hashed(ns, coll, sha256(k)));
      hashed = hashedBytes === undefined ? undefined : decodeStateRecord(hashedBytes);
    } catch (err) {
      problem({
        key: label,
        what: `the private value or its hashed entry is unreadable (${messageOf(err)})`,
      });
      continue;
    }
    if (hashed === undefined) {
      problem({
        block: stored.version.blockNum,
        key: label,
        what: 'private value without a hashed state entry (its key hash is absent)',
      });
    } else if (!sha256(stored.value).equals(hashed.value)) {
      problem({
        block: hashed.version.blockNum,
        key: label,
        what: `the private value does not hash to its hashed state entry (${versionText(hashed.version)})`,
      });
    } else if (!sameVersion(stored.version, hashed.version)) {
      problem({
        block: hashed.version.blockNum,
        key: label,
        what: `private value version ${versionText(stored.version)}, its hashed entry's ${versionText(hashed.version)}`,
      });
    }
  }
  return count;
}

/** The namespace and collection of a hashed or private state key, and where its rest begins. */
function collectionKeyNames(key: Buffer): { ns: string; coll: string; rest: number } | undefined {
  const first = key.indexOf(0, 1);
  const second = first < 0 ? -1 : key.indexOf(0, first + 1);
  if (second < 0) return undefined;
  return {
    ns: key.toString('utf8', 1, first),
    coll: key.toString('utf8', first + 1, second),
    rest: second + 1,
  };
}

function sameMetadata(a: ReadonlyMap<string, Buffer>, b: ReadonlyMap<string, Buffer>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) if (!(b.get(name)?.equals(value) ?? false)) return false;
  return true;
}

class StateComparison {
  readonly #db: LedgerDb;
  readonly #rebuilt: RebuiltState;
  readonly #problem: ReportProblem;

  constructor(db: LedgerDb, rebuilt: RebuiltState, problem: ReportProblem) {
    this.#db = db;
    this.#rebuilt = rebuilt;
    this.#problem = problem;
  }

  /** @returns the number of stored public state entries. */
  async comparePublic(): Promise<number> {
    let count = 0;
    for await (const [key, value] of this.#db.iterator(dbKeys.tableRange('state'))) {
      count += 1;
      const sep = key.indexOf(0, 1);
      if (sep < 0) {
        this.#problem({ what: `malformed state key ${key.toString('hex')}` });
        continue;
      }
      const ns = key.toString('utf8', 1, sep);
      const k = key.toString('utf8', sep + 1);
      this.#compareRecord(`${ns}:${k}`, value, this.#rebuilt.public.get(ns), k);
    }
    for (const [ns, byKey] of this.#rebuilt.public) {
      for (const [k, record] of byKey) this.#missing(`${ns}:${k}`, record);
    }
    return count;
  }

  /** @returns the number of stored hashed private state entries. */
  async compareHashed(): Promise<number> {
    let count = 0;
    for await (const [key, value] of this.#db.iterator(dbKeys.tableRange('hashed'))) {
      count += 1;
      const names = collectionKeyNames(key);
      if (names === undefined) {
        this.#problem({ what: `malformed hashed state key ${key.toString('hex')}` });
        continue;
      }
      const { ns, coll } = names;
      const keyHash = key.subarray(names.rest).toString('hex');
      this.#compareRecord(
        `${ns}:${coll}:#${keyHash}`,
        value,
        this.#rebuilt.hashed.get(`${ns}\u0000${coll}`),
        keyHash,
      );
    }
    for (const [space, byKey] of this.#rebuilt.hashed) {
      const [ns = '', coll = ''] = space.split('\u0000');
      for (const [keyHash, record] of byKey) this.#missing(`${ns}:${coll}:#${keyHash}`, record);
    }
    return count;
  }

  /** Compares a stored record with the rebuilt one, which it then takes out of `rebuilt` (seen). */
  #compareRecord(
    label: string,
    bytes: Buffer,
    rebuilt: Map<string, StateRecord> | undefined,
    key: string,
  ): void {
    const expected = rebuilt?.get(key);
    rebuilt?.delete(key);
    let stored: StateRecord;
    try {
      stored = decodeStateRecord(bytes);
    } catch (err) {
      this.#problem({
        ...(expected === undefined ? {} : { block: expected.version.blockNum }),
        key: label,
        what: `the stored record is unreadable (${messageOf(err)})`,
      });
      return;
    }
    if (expected === undefined) {
      this.#problem({
        block: stored.version.blockNum,
        key: label,
        what: `extra: stored (version ${versionText(stored.version)}), but no block writes it or a later one deletes it`,
      });
      return;
    }
    const differences: string[] = [];
    if (!stored.value.equals(expected.value)) {
      differences.push(
        `value (stored ${valueText(stored.value)}; the blocks give ${valueText(expected.value)})`,
      );
    }
    if (!sameVersion(stored.version, expected.version)) {
      differences.push(
        `version (stored ${versionText(stored.version)}; the blocks give ${versionText(expected.version)})`,
      );
    }
    if (!sameMetadata(stored.metadata, expected.metadata)) {
      differences.push(
        `metadata (stored ${metadataText(stored.metadata)}; the blocks give ${metadataText(expected.metadata)})`,
      );
    }
    if (differences.length > 0) {
      this.#problem({
        block: expected.version.blockNum,
        key: label,
        what: `differs from the state the blocks produce: ${differences.join('; ')}`,
      });
    }
  }

  #missing(label: string, record: StateRecord): void {
    this.#problem({
      block: record.version.blockNum,
      key: label,
      what: `missing: ${versionText(record.version)} writes it and no later block deletes it`,
    });
  }
}
