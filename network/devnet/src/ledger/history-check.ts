import { dbKeys } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { encodeHistoryEntry } from './state-reader';
import type { ReportProblem } from './verify-report';
import type { HistoryWrite } from './write-applier';

export interface HistoryCheckOptions {
  readonly db: LedgerDb;
  readonly problem: ReportProblem;
}

/**
 * The history table against the replay: each valid write's entry is stored as the committer stores
 * it (`check`, block by block), and the table holds nothing else (`checkTable`, after the last block).
 */
export class HistoryCheck {
  readonly #db: LedgerDb;
  readonly #problem: ReportProblem;
  #expected = 0;

  constructor(options: Readonly<HistoryCheckOptions>) {
    this.#db = options.db;
    this.#problem = options.problem;
  }

  /** Each valid write's history entry, as the committer stores it. */
  check(blockNum: number, history: readonly HistoryWrite[]): void {
    for (const h of history) {
      this.#expected += 1;
      const stored = this.#db.getSync(
        dbKeys.history(h.namespace, h.key, h.version.blockNum, h.version.txNum),
      );
      if (stored === undefined) {
        this.#problem({
          block: blockNum,
          key: `${h.namespace}:${h.key}`,
          what: `history entry of tx ${h.version.txNum} missing`,
        });
      } else if (!stored.equals(encodeHistoryEntry(h.entry))) {
        this.#problem({
          block: blockNum,
          key: `${h.namespace}:${h.key}`,
          what: `history entry of tx ${h.version.txNum} differs`,
        });
      }
    }
  }

  /** The history table holds nothing but the entries `check` looked for. */
  async checkTable(): Promise<void> {
    let stored = 0;
    for await (const _ of this.#db.keys(dbKeys.tableRange('history'))) stored += 1;
    if (stored > this.#expected) {
      this.#problem({
        what: `the history table holds ${stored - this.#expected} entries more than the blocks produce`,
      });
    }
  }
}
