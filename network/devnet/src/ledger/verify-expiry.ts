import type { BlockUpdates } from './block-updates';
import type { ChaincodeDefinition } from './chaincode-definitions';
import { dbKeys } from './db-keys';
import { sha256 } from './key-order';
import type { LedgerDb } from './ledger-db';
import { applyExpiry, decodeExpiry, expiryKey, scheduleOf, type ExpiryEntry } from './private-data-expiry';
import { messageOf } from '../error-message';
import type { ReportProblem } from './verify-report';
import type { CommittedRecords } from './write-applier';

/**
 * BlockToLive during the verifier's replay: the collections' BlockToLive from the config blocks'
 * definitions, each block's hashed writes scheduled and the entries due at each block purged from
 * the rebuilt state, with the committer's own rules (`private-data-expiry.ts`). Blocks carry no
 * private values, so what is scheduled here is the key hashes; the private data store's entries
 * are not replayed.
 */
export class ExpiryReplay {
  readonly #blockToLive = new Map<string, number>();
  readonly #pending = new Map<number, ExpiryEntry[]>();

  /** A config block's definitions: their collections' BlockToLive from now on. */
  define(definitions: readonly ChaincodeDefinition[]): void {
    for (const def of definitions) {
      for (const c of def.collections ?? [])
        this.#blockToLive.set(`${def.name}\u0000${c.name}`, c.blockToLive);
    }
  }

  /** Before a block's updates are stored: what expires at it, then what it schedules. */
  async atBlock(blockNum: number, updates: BlockUpdates, state: CommittedRecords): Promise<void> {
    const due = this.#pending.get(blockNum) ?? [];
    this.#pending.delete(blockNum);
    await applyExpiry(due, updates, state);
    const btl = (ns: string, coll: string): number => this.#blockToLive.get(`${ns}\u0000${coll}`) ?? 0;
    for (const entry of scheduleOf(blockNum, updates, btl, [])) {
      const list = this.#pending.get(entry.expiry) ?? [];
      list.push(entry);
      this.#pending.set(entry.expiry, list);
    }
  }

  /**
   * The stored schedule against the replay: each key hash still to expire must be scheduled, and
   * no other; a stored key must hash to its key hash. (Entries that expire a block's write sets in
   * the private data store need the private values, which blocks do not carry: not compared.)
   * @returns the number of stored entries.
   */
  async compare(db: Pick<LedgerDb, 'iterator'>, problem: ReportProblem): Promise<number> {
    const expected = new Map<string, ExpiryEntry>();
    for (const list of this.#pending.values()) {
      for (const entry of list) expected.set(expiryKey(entry).toString('hex'), entry);
    }
    let count = 0;
    for await (const [key, value] of db.iterator(dbKeys.expiryTable())) {
      count += 1;
      let stored: ExpiryEntry;
      try {
        stored = decodeExpiry(key, value);
      } catch (err) {
        problem({ what: messageOf(err) });
        continue;
      }
      if (stored.keyHash === undefined) continue;
      const label = `${stored.namespace}:${stored.collection}:#${stored.keyHash.toString('hex')}`;
      if (!expected.delete(key.toString('hex'))) {
        problem({
          block: stored.committing,
          key: label,
          what: `extra expiry schedule entry (purge at block ${stored.expiry}) that the blocks do not produce`,
        });
      }
      if (stored.key !== undefined && !sha256(stored.key).equals(stored.keyHash)) {
        problem({
          block: stored.committing,
          key: label,
          what: 'the expiry schedule names a key of another hash',
        });
      }
    }
    for (const entry of expected.values()) {
      problem({
        block: entry.committing,
        key: `${entry.namespace}:${entry.collection}:#${entry.keyHash?.toString('hex') ?? ''}`,
        what: `missing expiry schedule entry: BlockToLive purges it at block ${entry.expiry}`,
      });
    }
    return count;
  }
}
