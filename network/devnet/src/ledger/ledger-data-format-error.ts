/** The format a ledger with blocks but no recorded format is reported as. */
export const unrecordedDataFormat = '1';

/**
 * The ledger holds data of another format than the chaincode's (see `data-format.ts`); it was
 * refused before anything was written. The message names the directory, both formats and what
 * to do, since the old data is not migrated.
 */
export class LedgerDataFormatError extends Error {
  override readonly name = 'LedgerDataFormatError';

  constructor(
    readonly location: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(
      `the ledger in ${location} holds data of format ${found}` +
        (found === unrecordedDataFormat ? ' (made before data formats were recorded)' : '') +
        `, but this chaincode stores format ${expected} and cannot read it; nothing was changed. ` +
        `Remove ${location} to start with an empty ledger (the old data is not migrated), ` +
        'or use another data directory',
    );
  }
}
