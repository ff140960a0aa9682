import type { Logger } from 'pino';
import type { Ledger } from '../ledger/ledger';
import { addToBatch, type BatchSettings } from './block-cutter';

export interface OrdererOptions extends Partial<BatchSettings> {
  readonly ledger: Ledger;
  readonly logger: Logger;
  /** Transactions that may wait for ordering or commit before Submit is refused (default 20 000). */
  readonly maxPending?: number;
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

/** A transaction larger than `AbsoluteMaxBytes`: the orderer's size filter refuses it. */
export class MessageTooLargeError extends Error {
  constructor(size: number, max: number) {
    // Fabric's words (orderer/common/msgprocessor/sizefilter.go).
    super(`message payload is ${size} bytes and exceeds maximum allowed ${max} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/**
 * The embedded network's ordering service: Fabric's block cutter (`addToBatch`: a block is cut
 * when it holds `maxMessageCount` transactions, when one more would pass `preferredMaxBytes`, or
 * `batchTimeoutMs` after its first transaction) in front of the ledger's committer, which commits
 * the cut blocks one at a time, in order.
 */
export class Orderer {
  readonly #ledger: Ledger;
  readonly #logger: Logger;
  readonly #settings: BatchSettings;
  readonly #maxPending: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Blocks cut and not committed yet, oldest first. */
  #cut: Buffer[][] = [];
  #timer: NodeJS.Timeout | undefined;
  #committing: Promise<void> | undefined;
  #stopped = false;

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

  /**
   * Queues a signed, already verified envelope of `size` bytes (its payload and signature, as
   * Fabric counts them; default the envelope's length).
   * @throws MessageTooLargeError past `absoluteMaxBytes`, OrdererBusyError when the queue is
   *   full, Error after `stop()`.
   */
  enqueue(envelope: Buffer, size = envelope.length): void {
    if (this.#stopped) throw new Error('the ordering service is stopped');
    if (size > this.#settings.absoluteMaxBytes) {
      throw new MessageTooLargeError(size, this.#settings.absoluteMaxBytes);
    }
    const waiting = this.pending;
    if (waiting >= this.#maxPending) throw new OrdererBusyError(waiting);
    const next = addToBatch(this.#pending, this.#pendingBytes, envelope, size, this.#settings);
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
  }

  /** Orders and commits everything queued, then refuses new transactions. */
  async stop(): Promise<void> {
    this.#stopped = true;
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

  async #commit(batch: readonly Buffer[]): Promise<void> {
    try {
      const block = await this.#ledger.commitBlock(batch);
      this.#logger.debug({ block: Number(block.number), transactions: batch.length }, 'committed block');
    } catch (err) {
      this.#logger.error(
        { err, transactions: batch.length },
        'could not commit block; its transactions are lost',
      );
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
