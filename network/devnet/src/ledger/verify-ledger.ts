import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkBlockChain } from './block-chain-check';
import { BlockReplay } from './block-replay';
import { HistoryCheck } from './history-check';
import { openLedgerDb, type LedgerDb } from './ledger-db';
import { checkPrivateValues, compareWorldState } from './state-comparison';
import { TxIndexCheck } from './tx-index-check';
import { ProblemList, type ReportProblem, type VerifyOptions, type VerifyReport } from './verify-report';

export { formatVerifyReport } from './verify-report';
export type { VerifyOptions, VerifyProblem, VerifyReport } from './verify-report';

/**
 * Checks a ledger store against its own blocks, changing nothing:
 * - every block: its number is its position, data_hash = SHA-256 of its data, previous_hash = the
 *   previous block's header hash, the header copy equals its header, and the recorded chain info
 *   (height, last hash, last config) matches the last block;
 * - the world state rebuilt by replaying the blocks (the writes of each transaction VALID in
 *   TRANSACTIONS_FILTER, applied by the committer's own code at version (block, tx), the
 *   `_lifecycle` records of config blocks, and the private data BlockToLive purges at each block,
 *   with the committer's rules) equals the stored public and hashed private state, key
 *   by key (value, version, metadata); each stored private value hashes to its hashed entry; the
 *   history entries of the valid writes are stored; the expiry schedule holds the key hashes still to
 *   expire; and the txId index holds each transaction's
 *   first copy (block, tx, code).
 *
 * Validation codes are taken from the blocks, not judged again: signatures and endorsement policies
 * are not re-checked, so no crypto material is needed. The rebuilt state is held in memory.
 * @param ledger The LevelDB store's directory (`<data-dir>/ledger` of a devnet), opened here and
 *   closed again, or an open store (left open).
 * @throws LedgerLockedError when a running devnet holds the directory; Error when it holds no store.
 */
export async function verifyLedger(
  ledger: string | LedgerDb,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  if (typeof ledger !== 'string') return verifyOpenLedger(ledger, options.maxProblems ?? 100);
  // openLedgerDb creates a missing store; a check must not.
  if (!existsSync(join(ledger, 'CURRENT'))) {
    throw new Error(`no ledger store in ${ledger} (no LevelDB CURRENT file there); nothing was checked`);
  }
  const db = await openLedgerDb(ledger);
  try {
    return await verifyOpenLedger(db, options.maxProblems ?? 100);
  } finally {
    await db.close();
  }
}

/** The checks in order; the problems are listed in the order they are found. */
async function verifyOpenLedger(db: LedgerDb, maxProblems: number): Promise<VerifyReport> {
  const problems = new ProblemList(maxProblems);
  const problem: ReportProblem = (p) => problems.add(p);
  const history = new HistoryCheck({ db, problem });
  const txIndex = new TxIndexCheck({ db, problem });
  const replay = new BlockReplay({ problem, history, txIndex });
  const blocks = await checkBlockChain({ db, problem, replay });
  await history.checkTable();
  const stateKeys = await compareWorldState(db, replay.state, problem);
  const privateValues = await checkPrivateValues(db, problem);
  await replay.expiry.compare(db, problem);
  await txIndex.compare();
  return {
    ok: problems.count === 0,
    blocks,
    transactions: replay.transactions,
    validTransactions: replay.validTransactions,
    stateKeys,
    privateValues,
    problemCount: problems.count,
    problems: problems.listed,
  };
}
