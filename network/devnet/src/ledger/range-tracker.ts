import type { KeyValue } from './tx-simulator';
import type { RangeQueryRecord } from './rwset-builder';
import type { RecordIterator } from './state-reader';
import type { Version } from './state-record';

export function emptyIterator(): AsyncIterator<KeyValue> {
  return { next: () => Promise.resolve({ done: true, value: undefined }) };
}

/**
 * Pulls a committed range lazily and records what the chaincode consumed: the last consumed
 * key as end_key unless the iterator was exhausted (then the requested end key).
 */
export class RangeTracker implements AsyncIterator<KeyValue> {
  readonly #it: RecordIterator;
  readonly #startKey: string;
  readonly #endKey: string;
  readonly #onFinish: ((record: RangeQueryRecord) => void) | undefined;
  readonly #reads: { key: string; version: Version }[] = [];
  #finished = false;

  constructor(
    it: RecordIterator,
    startKey: string,
    endKey: string,
    onFinish?: (record: RangeQueryRecord) => void,
  ) {
    this.#it = it;
    this.#startKey = startKey;
    this.#endKey = endKey;
    this.#onFinish = onFinish;
  }

  async next(): Promise<IteratorResult<KeyValue>> {
    if (this.#finished) return { done: true, value: undefined };
    const entry = await this.#it.next();
    if (entry === undefined) {
      this.finish(true);
      return { done: true, value: undefined };
    }
    this.#reads.push({ key: entry.key, version: entry.record.version });
    return { done: false, value: { key: entry.key, value: entry.record.value } };
  }

  async return(): Promise<IteratorResult<KeyValue>> {
    this.finish(false);
    return Promise.resolve({ done: true, value: undefined });
  }

  finish(exhausted: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    void this.#it.close().catch(() => undefined);
    const last = this.#reads[this.#reads.length - 1];
    this.#onFinish?.({
      startKey: this.#startKey,
      endKey: exhausted || last === undefined ? this.#endKey : last.key,
      itrExhausted: exhausted,
      reads: this.#reads,
    });
  }
}
