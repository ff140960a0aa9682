/**
 * How long after a committed `AccessLog:request` the requesting identity's reads of that scope
 * are answered by the custodian's peer. Short, so that a revoked consent soon stops reads that
 * were logged before it, and long enough for a page-by-page read of a patient's records.
 */
export const accessWindowMs = 2 * 60 * 1000;
