import type { Logger } from 'pino';
import type { Ledger } from '../ledger/ledger';
import { addToBatch, type BatchSettings } from './block-cutter';

export interface OrdererOptions extends Partial<BatchSettings> {
  readonly ledger: Ledger;
  readonly logger: Logger;
  /** Transactions that may wait for ordering or commit before Submit is refused (default 20 000). */
  readonly maxPending?: number;
  /** Longest wait between attempts to write a block again after a failed write (default 2 s). */
  readonly retryMaxMs?: number;
}

/**
 * The embedded network's defaults. Fabric's names and semantics; sizes as Fabric's defaults
 * (MaxMessageCount 500, AbsoluteMaxBytes 10 MB, PreferredMaxBytes 2 MB); BatchTimeout 20 ms
 * instead of Fabric's 2 s: on one machine a lone transaction would otherwise wait 2 s for its
 * block, while 20 ms still lets transactions that arrive together share a block — and so
 * conflict, or not, as they would on Fabric.
 */
export const defaultBatchSettings: BatchSettings = {
  maxMessageCount: 500,
  absoluteMaxBytes: 10 * 1024 * 1024,
  preferredMaxBytes: 2 * 1024 * 1024,
  batchTimeoutMs: 20,
};

/** The ordering queue is full: Submit is refused, as an overloaded orderer refuses Broadcast. */
export class OrdererBusyError extends Error {
  constructor(pending: number) {
    super(`the ordering service has ${pending} transactions waiting; try again later`);
    this.name = 'OrdererBusyError';
  }
}

/** The ledger cannot write blocks: Submit is refused until it can again. */
export class OrdererUnavailableError extends Error {
  constructor(cause: Error) {
    super(`the ledger cannot write blocks (${cause.message}); new transactions are refused until it can`, {
      cause,
    });
    this.name = 'OrdererUnavailableError';
  }
}

/** A transaction larger than `AbsoluteMaxBytes`: the orderer's size filter refuses it. */
export class MessageTooLargeError extends Error {
  constructor(size: number, max: number) {
    // Fabric's words (orderer/common/msgprocessor/sizefilter.go).
    super(`message payload is ${size} bytes and exceeds maximum allowed ${max} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/** A queued transaction and the promise `enqueue` returned for it. */
interface Queued {
  readonly envelope: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * The embedded network's ordering service: Fabric's block cutter (`addToBatch`: a block is cut
 * when it holds `maxMessageCount` transactions, when one more would pass `preferredMaxBytes`, or
 * `batchTimeoutMs` after its first transaction) in front of the ledger's committer, which commits
 * the cut blocks one at a time, in order.
 *
 * Durable: `enqueue`'s promise resolves once the transaction's block is written, so Submit
 * acknowledges nothing that a crash or a full disk could still lose. When a block cannot be
 * written, the orderer refuses new transactions at once (`OrdererUnavailableError`), keeps the
 * block and everything queued behind it, and tries again — reopening the ledger, with backoff up
 * to `retryMaxMs` — until the write succeeds; then it accepts transactions again.
 */
export class Orderer {
  readonly #ledger: Ledger;
  readonly #logger: Logger;
  readonly #settings: BatchSettings;
  readonly #maxPending: number;
  readonly #retryMaxMs: number;
  #pending: Queued[] = [];
  #pendingBytes = 0;
  /** Blocks cut and not committed yet, oldest first. */
  #cut: Queued[][] = [];
  #timer: NodeJS.Timeout | undefined;
  #committing: Promise<void> | undefined;
  #failure: Error | undefined;
  #stopped = false;
  readonly #stopSignal = new AbortController();

  constructor(options: OrdererOptions) {
    this.#ledger = options.ledger;
    this.#logger = options.logger;
    this.#settings = {
      maxMessageCount: options.maxMessageCount ?? defaultBatchSettings.maxMessageCount,
      absoluteMaxBytes: options.absoluteMaxBytes ?? defaultBatchSettings.absoluteMaxBytes,
      preferredMaxBytes: options.preferredMaxBytes ?? defaultBatchSettings.preferredMaxBytes,
      batchTimeoutMs: options.batchTimeoutMs ?? defaultBatchSettings.batchTimeoutMs,
    };
    this.#maxPending = options.maxPending ?? 20_000;
    this.#retryMaxMs = options.retryMaxMs ?? 2000;
    const { maxMessageCount, absoluteMaxBytes, preferredMaxBytes, batchTimeoutMs } = this.#settings;
    if (!Number.isInteger(maxMessageCount) || maxMessageCount < 1)
      throw new Error('maxMessageCount must be a positive integer');
    if (!(preferredMaxBytes > 0) || !(absoluteMaxBytes >= preferredMaxBytes))
      throw new Error('preferredMaxBytes must be positive and at most absoluteMaxBytes');
    if (!(batchTimeoutMs >= 0)) throw new Error('batchTimeoutMs must be zero or more');
  }

  /** Transactions waiting to be cut into a block or committed. */
  get pending(): number {
    return this.#pending.length + this.#cut.reduce((n, b) => n + b.length, 0);
  }

  /** Why new transactions are refused (a block could not be written); undefined while they are accepted. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /**
   * Queues a signed, already verified envelope of `size` bytes (its payload and signature, as
   * Fabric counts them; default the envelope's length).
   * @returns a promise that resolves once the transaction's block is written (whatever its
   *   validation code), and rejects only if the orderer stops before it could be written.
   * @throws MessageTooLargeError past `absoluteMaxBytes`, OrdererUnavailableError while blocks
   *   cannot be written, OrdererBusyError when the queue is full, Error after `stop()`.
   */
  enqueue(envelope: Buffer, size = envelope.length): Promise<void> {
    if (this.#stopped) throw new Error('the ordering service is stopped');
    if (size > this.#settings.absoluteMaxBytes) {
      throw new MessageTooLargeError(size, this.#settings.absoluteMaxBytes);
    }
    if (this.#failure !== undefined) throw new OrdererUnavailableError(this.#failure);
    const waiting = this.pending;
    if (waiting >= this.#maxPending) throw new OrdererBusyError(waiting);
    let queued!: Queued;
    const written = new Promise<void>((resolve, reject) => (queued = { envelope, resolve, reject }));
    const next = addToBatch(this.#pending, this.#pendingBytes, queued, size, this.#settings);
    const wasEmpty = this.#pending.length === 0;
    this.#pending = next.pending;
    this.#pendingBytes = next.pendingBytes;
    if (next.cut.length > 0) {
      this.#clearTimer();
      this.#cut.push(...next.cut);
      this.#drain();
    }
    // The timer runs from the first transaction of a batch, as Fabric's does.
    if (this.#pending.length > 0 && (wasEmpty || next.cut.length > 0)) this.#startTimer();
    return written;
  }

  /**
   * Orders and commits everything queued, then refuses new transactions. While blocks cannot be
   * written it does not wait for the disk: what is still queued is rejected (it was never
   * acknowledged).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopSignal.abort();
    this.#cutPending();
    while (this.#committing !== undefined) await this.#committing;
  }

  #startTimer(): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#cutPending();
    }, this.#settings.batchTimeoutMs);
  }

  #cutPending(): void {
    this.#clearTimer();
    if (this.#pending.length === 0) return;
    this.#cut.push(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#drain();
  }

  /** Commits the cut blocks one after the other. */
  #drain(): void {
    if (this.#committing !== undefined) return;
    const block = this.#cut.shift();
    if (block === undefined) return;
    this.#committing = this.#commit(block).finally(() => {
      this.#committing = undefined;
      this.#drain();
    });
  }

  /** Writes one block, retrying until it is written (or the orderer stops), then answers its transactions. */
  async #commit(batch: readonly Queued[]): Promise<void> {
    const number = this.#ledger.height();
    let delayMs = 50;
    for (;;) {
      try {
        if (this.#failure !== undefined) {
          await this.#ledger.recover();
          // The failed write may have reached the disk whole; the ledger adopted it on reopening.
          if (this.#ledger.height() > number) return this.#written(batch, number, 'adopted');
        }
        await this.#ledger.commitBlock(batch.map((q) => q.envelope));
        return this.#written(batch, number, 'written');
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        if (this.#failure === undefined) {
          this.#logger.error(
            { err: error, block: Number(number), transactions: batch.length },
            'could not write block; refusing new transactions until the ledger writes again',
          );
        } else {
          this.#logger.debug({ err: error, block: Number(number) }, 'the ledger cannot write yet');
        }
        this.#failure ??= error;
        if (this.#stopped) {
          const stopped = new Error('the ordering service stopped before the block could be written', {
            cause: error,
          });
          for (const q of batch) q.reject(stopped);
          return;
        }
        await abortableSleep(delayMs, this.#stopSignal.signal);
        delayMs = Math.min(delayMs * 2, this.#retryMaxMs);
      }
    }
  }

  #written(batch: readonly Queued[], number: bigint, how: 'written' | 'adopted'): void {
    if (this.#failure !== undefined) {
      this.#logger.warn(
        { block: Number(number), how, failure: this.#failure.message },
        'the ledger writes again; accepting transactions',
      );
      this.#failure = undefined;
    }
    this.#logger.debug({ block: Number(number), transactions: batch.length }, 'committed block');
    for (const q of batch) q.resolve();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
