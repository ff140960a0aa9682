import { peer } from '@hyperledger/fabric-protos';
import { decodeTxIndex } from './block-committer';
import { dbKeys } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { codeName, versionText } from './problem-text';
import type { Version } from './state-record';
import type { ReportProblem } from './verify-report';

import Code = peer.TxValidationCode;

/** A transaction's copy in the blocks: where it is and the code it was given. */
export interface TxCopy extends Version {
  readonly code: number;
}

export interface TxIndexCheckOptions {
  readonly db: LedgerDb;
  readonly problem: ReportProblem;
}

/**
 * The txId index against the replay: the copies of each transaction are noted block by block
 * (`recordCopy`), then the index must hold one entry per transaction, naming its first copy
 * (`compare`).
 */
export class TxIndexCheck {
  readonly #db: LedgerDb;
  readonly #problem: ReportProblem;
  /** txId → its first committed copy, which the txId index must name. */
  readonly #firstCopies = new Map<string, TxCopy>();

  constructor(options: Readonly<TxIndexCheckOptions>) {
    this.#db = options.db;
    this.#problem = options.problem;
  }

  /** Notes a copy of a transaction that passed the stateless checks; the first copy is the one indexed. */
  recordCopy(txId: string, copy: TxCopy): void {
    const first = this.#firstCopies.get(txId);
    if (first === undefined) {
      if (copy.code === Code.DUPLICATE_TXID) {
        this.#problem({
          block: copy.blockNum,
          key: txId,
          what: `transaction ${copy.txNum} is marked DUPLICATE_TXID, but no earlier copy is committed`,
        });
      } else this.#firstCopies.set(txId, copy);
    } else if (copy.code !== Code.DUPLICATE_TXID) {
      this.#problem({
        block: copy.blockNum,
        key: txId,
        what: `transaction ${copy.txNum} is marked ${codeName(copy.code)}, but its txId was committed before (${versionText(first)}): a later copy is DUPLICATE_TXID`,
      });
    }
  }

  /** The txId index: one entry per transaction, naming its first copy's block, index and code. */
  async compare(): Promise<void> {
    for await (const [key, value] of this.#db.iterator(dbKeys.tableRange('txIndex'))) {
      const txId = key.toString('utf8', 1);
      const expected = this.#firstCopies.get(txId);
      this.#firstCopies.delete(txId);
      if (value.length !== 13) {
        this.#problem({ key: txId, what: `malformed txId index entry (${value.length} bytes, not 13)` });
        continue;
      }
      const entry = decodeTxIndex(value);
      const stored = `${versionText(entry)} ${codeName(entry.code)}`;
      if (expected === undefined) {
        this.#problem({
          block: entry.blockNum,
          key: txId,
          what: `the txId index has an entry (${stored}) for a transaction no block holds`,
        });
      } else if (
        entry.blockNum !== expected.blockNum ||
        entry.txNum !== expected.txNum ||
        entry.code !== expected.code
      ) {
        this.#problem({
          block: expected.blockNum,
          key: txId,
          what: `the txId index says ${stored}; the first copy is ${versionText(expected)} ${codeName(expected.code)}`,
        });
      }
    }
    for (const [txId, copy] of this.#firstCopies) {
      this.#problem({
        block: copy.blockNum,
        key: txId,
        what: `the txId index has no entry (the first copy is ${versionText(copy)} ${codeName(copy.code)})`,
      });
    }
  }
}
