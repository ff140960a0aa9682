import type { Context } from 'fabric-contract-api';

/** A transaction's reads by collection ('' for public state) and key, per transaction stub. */
const byTransaction = new WeakMap<object, Map<string, Promise<Uint8Array>>>();

/**
 * Reads a key once per transaction. Fabric answers every read of a transaction from committed
 * state (no read-your-writes, one read-set entry per key), so a second read of the same key
 * would fetch the same bytes again: it is answered from the first instead of by another round
 * trip to the peer (fabric-shim sends a transaction's requests one at a time). A failed read
 * fails again the same way.
 */
export function readOnce(
  ctx: Context,
  collection: string,
  key: string,
  read: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  let reads = byTransaction.get(ctx.stub);
  if (reads === undefined) {
    reads = new Map();
    byTransaction.set(ctx.stub, reads);
  }
  const id = `${collection}\u0000${key}`;
  let bytes = reads.get(id);
  if (bytes === undefined) {
    bytes = read();
    reads.set(id, bytes);
  }
  return bytes;
}
