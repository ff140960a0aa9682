/**
 * Texts Fabric 2.5 itself writes, which clients recognise and the embedded network reproduces
 * word for word (with Fabric's spelling).
 */

/** The peer gave up waiting for the chaincode (its execute timeout, 30 s by default). */
export const TIMEOUT_MESSAGE = 'timeout expired while executing transaction';

/** The shim's answer to a write after a paginated range or rich query in one transaction. */
export const PAGINATED_WRITE_MESSAGE =
  'unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed';
