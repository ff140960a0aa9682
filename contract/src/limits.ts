/** The time and count limits the chaincode enforces, for clients that want to stay inside them. */

/**
 * How long after a committed `AccessLog:request` the requesting identity's reads of that scope
 * are answered by the custodian's peer. Short, so that a revoked consent soon stops reads that
 * were logged before it, and long enough for a page-by-page read of a patient's records.
 */
export const accessWindowMs = 2 * 60 * 1000;

/**
 * How far a proposal's timestamp may lie from the endorsing peer's clock. The timestamp is the
 * client's choice (Fabric checks nothing of it), and every "now" of the chaincode — consent
 * windows, expiry, how fresh an access-log entry is, how far ahead a reading may be — is
 * decided with it; so a proposal further than this from the peer's own clock is refused.
 */
export const maxProposalSkewMs = 5 * 60 * 1000;

/** Consents a patient may hold at once that are neither revoked nor expired. */
export const maxActiveConsents = 200;
