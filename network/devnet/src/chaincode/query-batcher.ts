import { randomUUID } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';

/** Fabric's `MaxResultLimit`: results per QueryResponse batch of an unpaginated query. */
export const MAX_RESULT_LIMIT = 100;

/**
 * One open query of a transaction. Results are pulled lazily from the ledger so the simulator
 * sees exactly what Fabric's simulator sees: a full batch plus one held-back element, which
 * guarantees that `has_more=true` is followed by a non-empty batch (fabric-shim relies on it).
 */
export class QueryCursor {
  readonly id = randomUUID();
  readonly #source: AsyncIterator<Uint8Array>;
  #held: Uint8Array | undefined;
  #closed = false;

  constructor(source: AsyncIterator<Uint8Array>) {
    this.#source = source;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The next batch; the cursor closes itself once the source is exhausted. */
  async nextBatch(): Promise<peer.QueryResponse> {
    const results: peer.QueryResultBytes[] = [];
    if (this.#held !== undefined) {
      results.push(resultBytes(this.#held));
      this.#held = undefined;
    }
    for (;;) {
      const next = await this.#source.next();
      if (next.done === true) {
        await this.close();
        return queryResponse(this.id, results, false);
      }
      if (results.length === MAX_RESULT_LIMIT) {
        this.#held = next.value;
        return queryResponse(this.id, results, true);
      }
      results.push(resultBytes(next.value));
    }
  }

  /** Releases the ledger iterator. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#held = undefined;
    await this.#source.return?.();
  }
}

export function resultBytes(bytes: Uint8Array): peer.QueryResultBytes {
  const result = new peer.QueryResultBytes();
  result.setResultbytes(bytes);
  return result;
}

export function queryResponse(
  id: string,
  results: peer.QueryResultBytes[],
  hasMore: boolean,
): peer.QueryResponse {
  const response = new peer.QueryResponse();
  response.setResultsList(results);
  response.setHasMore(hasMore);
  response.setId(id);
  return response;
}

/** Maps a ledger iterator to serialized result messages. */
export function mapIterator<T>(
  source: AsyncIterator<T>,
  encode: (item: T) => Uint8Array,
): AsyncIterator<Uint8Array> {
  return {
    next: async () => {
      const next = await source.next();
      return next.done === true
        ? { done: true, value: undefined }
        : { done: false, value: encode(next.value) };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}

/** An iterator over an array, for ledger answers that come whole (history). */
export function arrayIterator<T>(items: readonly T[]): AsyncIterator<T> {
  let index = 0;
  return {
    next: async () =>
      index < items.length ? { done: false, value: items[index++] as T } : { done: true, value: undefined },
  };
}
