import { statfs } from 'node:fs/promises';
import type { ChainInfo } from './block-store';
import { verifyChain } from './block-store';
import type { LedgerDb } from './ledger-db';
import { LedgerWriteError } from './ledger-write-error';
import { messageWithCause } from '../error-message';

/**
 * Free bytes a reopen needs before it is tried: LevelDB writes a new log and manifest and may
 * compact at open, and a reopen that fails leaves the store closed (reads fail too) until the
 * next attempt, so while the disk is still full the store stays open for reads.
 */
export const REOPEN_MIN_FREE_BYTES = 4 * 1024 * 1024;

/**
 * Reopens the LevelDB store after a failed write. LevelDB refuses every write after some I/O
 * errors until it is reopened, and a failed append can leave a torn record at the end of its log,
 * which a reopen drops; so after a failure nothing is written before this succeeds. Then the
 * stored chain is verified again: a block whose write reported failure may still have reached
 * the disk whole (its log record was written before the error), and the caller adopts it.
 * @throws LedgerWriteError while the disk has less than `REOPEN_MIN_FREE_BYTES` free or the
 *   store cannot be opened (it is then closed, and the next attempt opens it).
 */
export async function reopenLedgerDb(db: LedgerDb, location: string): Promise<ChainInfo> {
  const fs = await statfs(location);
  const free = fs.bavail * fs.bsize;
  if (free < REOPEN_MIN_FREE_BYTES) {
    throw new LedgerWriteError(
      `the disk of ${location} has ${free} bytes free; at least ${REOPEN_MIN_FREE_BYTES} are needed to reopen the ledger`,
    );
  }
  if (db.status === 'open') await db.close();
  try {
    await db.open({ createIfMissing: false });
  } catch (err) {
    throw new LedgerWriteError(`could not reopen the ledger in ${location}: ${messageWithCause(err)}`, {
      cause: err,
    });
  }
  return verifyChain(db, location);
}
