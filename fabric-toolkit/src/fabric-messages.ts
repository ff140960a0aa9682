/**
 * Texts Fabric 2.5 itself writes, which clients recognise and the embedded network reproduces
 * word for word (with Fabric's spelling).
 */

/** The peer gave up waiting for the chaincode (its execute timeout, 30 s by default). */
export const TIMEOUT_MESSAGE = 'timeout expired while executing transaction';

/**
 * A peer refusing a call past its `peer.limits.concurrency` (`too many requests for
 * /gateway.Gateway, exceeding concurrency limit (500)`; a plain error there, gRPC UNKNOWN).
 */
export const CONCURRENCY_LIMIT_MESSAGE = 'exceeding concurrency limit';

/** The shim's answer to a write after a paginated range or rich query in one transaction. */
export const PAGINATED_WRITE_MESSAGE =
  'unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed';
