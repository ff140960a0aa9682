import { dbKeys } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { LedgerDataFormatError, unrecordedDataFormat } from './ledger-data-format-error';

/**
 * The data-format marker: an application whose chaincode changes what it stores incompatibly
 * names a new format, and a ledger made with another one refuses to open instead of being
 * half-read. A new ledger (no blocks) records `expected`; an unset `expected` checks nothing.
 * @throws LedgerDataFormatError when the recorded format (or, for a ledger with blocks and no
 *   record, `unrecordedDataFormat`) differs from `expected`.
 */
export async function checkDataFormat(
  db: LedgerDb,
  location: string,
  height: number,
  expected: string | undefined,
): Promise<void> {
  if (expected === undefined) return;
  const recorded = await db.get(dbKeys.dataFormat);
  if (recorded === undefined && height === 0) {
    await db.put(dbKeys.dataFormat, Buffer.from(expected, 'utf8'));
    return;
  }
  const found = recorded === undefined ? unrecordedDataFormat : recorded.toString('utf8');
  if (found !== expected) throw new LedgerDataFormatError(location, found, expected);
}
