import type { Logger } from 'pino';
import type { Ledger } from '../ledger/ledger';

export interface OrdererOptions {
  readonly ledger: Ledger;
  readonly logger: Logger;
  /** Most transactions in one block (Fabric's BatchSize.MaxMessageCount; default 500). */
  readonly maxMessageCount?: number;
  /** How long a partial block may wait (Fabric's BatchTimeout; default 50 ms). */
  readonly batchTimeoutMs?: number;
  /**
   * Cut a block as soon as the committer is idle instead of waiting for the batch timeout
   * (default true). One process orders and commits, so while a block commits the next one
   * fills by itself; waiting only adds latency.
   */
  readonly cutWhenIdle?: boolean;
  /** Transactions that may wait for ordering before Submit is refused (default 20 000). */
  readonly maxPending?: number;
}

/** The ordering queue is full: Submit is refused, as an overloaded orderer refuses Broadcast. */
export class OrdererBusyError extends Error {
  constructor(pending: number) {
    super(`the ordering service has ${pending} transactions waiting; try again later`);
    this.name = 'OrdererBusyError';
  }
}

/**
 * The embedded network's ordering service: a block cutter in front of the ledger's
 * committer. Envelopes are queued in arrival order and cut into blocks of at most
 * `maxMessageCount`; one block commits at a time.
 */
export class Orderer {
  readonly #ledger: Ledger;
  readonly #logger: Logger;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #cutWhenIdle: boolean;
  readonly #maxPending: number;
  #pending: Buffer[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #committing: Promise<void> | undefined;
  #stopped = false;
  /** The batch timeout expired while a block was committing. */
  #overdue = false;

  constructor(options: OrdererOptions) {
    this.#ledger = options.ledger;
    this.#logger = options.logger;
    this.#max = options.maxMessageCount ?? 500;
    this.#timeoutMs = options.batchTimeoutMs ?? 50;
    this.#cutWhenIdle = options.cutWhenIdle ?? true;
    this.#maxPending = options.maxPending ?? 20_000;
    if (!Number.isInteger(this.#max) || this.#max < 1)
      throw new Error('maxMessageCount must be a positive integer');
    if (!(this.#timeoutMs >= 0)) throw new Error('batchTimeoutMs must be zero or more');
  }

  /** Transactions waiting to be cut into a block. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Queues a signed, already verified envelope.
   * @throws OrdererBusyError when the queue is full, Error after `stop()`.
   */
  enqueue(envelope: Buffer): void {
    if (this.#stopped) throw new Error('the ordering service is stopped');
    if (this.#pending.length >= this.#maxPending) throw new OrdererBusyError(this.#pending.length);
    this.#pending.push(envelope);
    this.#schedule();
  }

  /** Orders and commits everything queued, then refuses new transactions. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimers();
    while (this.#committing !== undefined || this.#pending.length > 0) {
      if (this.#committing !== undefined) await this.#committing;
      else this.#cut();
    }
  }

  #schedule(): void {
    if (this.#committing !== undefined) return; // the block after this commit takes them
    if (this.#cutWhenIdle || this.#pending.length >= this.#max) {
      // setImmediate lets submits that arrive in the same turn share the block.
      this.#immediate ??= setImmediate(() => {
        this.#immediate = undefined;
        this.#cut();
      });
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#overdue = true;
      this.#cut();
    }, this.#timeoutMs);
  }

  #cut(): void {
    if (this.#committing !== undefined || this.#pending.length === 0) return;
    this.#clearTimers();
    this.#overdue = false;
    const batch = this.#pending.slice(0, this.#max);
    this.#pending = this.#pending.slice(batch.length);
    this.#committing = this.#commit(batch).finally(() => {
      this.#committing = undefined;
      if (this.#pending.length === 0 || this.#stopped) return;
      if (this.#cutWhenIdle || this.#overdue || this.#pending.length >= this.#max) this.#cut();
      else this.#schedule();
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

  #clearTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }
}
