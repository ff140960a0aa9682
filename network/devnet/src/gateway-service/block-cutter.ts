/** Fabric's `Orderer.BatchSize` and `BatchTimeout`: when a block is cut. */
export interface BatchSettings {
  /** Most transactions in one block (`BatchSize.MaxMessageCount`). */
  readonly maxMessageCount: number;
  /** A transaction larger than this is refused at Submit (`BatchSize.AbsoluteMaxBytes`). */
  readonly absoluteMaxBytes: number;
  /** A block is cut before it would grow past this; a larger transaction gets a block of its own (`BatchSize.PreferredMaxBytes`). */
  readonly preferredMaxBytes: number;
  /** How long after its first transaction a partial block is cut (`BatchTimeout`). */
  readonly batchTimeoutMs: number;
}

/**
 * Fabric's block-cutting rule (orderer/common/blockcutter): what one more transaction of `size`
 * bytes (Fabric counts an envelope's payload and signature) does to the pending batch. Pure: the
 * orderer applies the answer and keeps the timer.
 * @returns the batches to cut now (in order), and the pending batch after it.
 */
export function addToBatch<T>(
  pending: readonly T[],
  pendingBytes: number,
  envelope: T,
  size: number,
  settings: BatchSettings,
): { readonly cut: T[][]; readonly pending: T[]; readonly pendingBytes: number } {
  if (size > settings.preferredMaxBytes) {
    // Larger than a preferred block: what is pending goes first, then this one alone.
    return { cut: [...(pending.length > 0 ? [[...pending]] : []), [envelope]], pending: [], pendingBytes: 0 };
  }
  const cut: T[][] = [];
  let batch = [...pending];
  let bytes = pendingBytes;
  if (bytes + size > settings.preferredMaxBytes) {
    cut.push(batch);
    batch = [];
    bytes = 0;
  }
  batch.push(envelope);
  bytes += size;
  if (batch.length >= settings.maxMessageCount) {
    cut.push(batch);
    batch = [];
    bytes = 0;
  }
  return { cut, pending: batch, pendingBytes: bytes };
}
