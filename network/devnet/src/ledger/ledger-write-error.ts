/**
 * The ledger could not write (a full disk, an I/O error), or refuses to until it has recovered
 * from such a failure. Nothing of the block that failed is stored; `Ledger.recover()` reopens the
 * store and tells whether writing works again.
 */
export class LedgerWriteError extends Error {
  override readonly name = 'LedgerWriteError';
}
