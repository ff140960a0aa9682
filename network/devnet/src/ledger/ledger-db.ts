import { ClassicLevel } from 'classic-level';

/** The one LevelDB database that holds a channel's blocks, state, history and private data. */
export type LedgerDb = ClassicLevel<Buffer, Buffer>;

/** The data directory is held by another process or instance. */
export class LedgerLockedError extends Error {
  override readonly name = 'LedgerLockedError';
}

/**
 * Opens (creating if needed) the LevelDB store under `location`.
 * @throws LedgerLockedError if another process (or another ledger in this process) has it open.
 */
export async function openLedgerDb(location: string): Promise<LedgerDb> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open({ createIfMissing: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const cause = (err as { cause?: { message?: string } }).cause;
    if (code === 'LEVEL_LOCKED' || /lock/i.test(cause?.message ?? '')) {
      throw new LedgerLockedError(
        `ledger data directory ${location} is already in use by another devnet process ` +
          '(LevelDB lock held); stop that process or use another data directory',
        { cause: err },
      );
    }
    throw err;
  }
  return db;
}
