import { randomUUID } from 'node:crypto';
import {
  ChaincodeError,
  classifyReading,
  parseSignedPayload,
  type ReadingInput,
  type SignedReading,
  type VitalSign,
} from '@careledger/contract';
import type { Logger } from 'pino';
import { ApiError } from '../errors/error-catalog';
import type { CareLedger, LedgerAnswer } from '../ledger/care-ledger';
import { IntakeWriteError, type IntakeStore, type QueueEntry } from './intake-store';
import { queuedStatus, type IntakeRequest, type QueuedSubmission, type SubmissionStatus } from './submission';

export interface ReadingIntakeOptions {
  readonly store: IntakeStore;
  readonly ledger: CareLedger;
  readonly logger: Logger;
  /** Readings queued at most; one more is refused 503 OVERLOADED (`INTAKE_MAX_READINGS`). */
  readonly maxQueuedReadings: number;
  /** Ledger calls in flight at once (`INTAKE_CONCURRENCY`). */
  readonly concurrency: number;
  /** How long a settled submission's status is kept (`INTAKE_RETENTION_S`). */
  readonly retentionMs: number;
  /** Wait before a submission is tried again after a transient failure: doubling from `initialMs` to `maxMs`. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
}

type Recorded = { reading: VitalSign; replayed?: boolean };

/** A failure the ledger may not repeat: unreachable, overloaded, too slow, or a lost MVCC race. */
function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  if (err.code === 'CONFLICT')
    return (err.details as { validationCode?: unknown } | undefined)?.validationCode !== undefined;
  return err.status >= 500;
}

/** The ledger as a whole does not answer: pause every submission, not only this one. */
function isOutage(err: unknown): boolean {
  return (
    err instanceof ApiError && ['LEDGER_UNAVAILABLE', 'COMMIT_TIMEOUT', 'SHUTTING_DOWN'].includes(err.code)
  );
}

/**
 * The durable intake of asynchronous readings (`Prefer: respond-async`). A reading is answered
 * 202 only once it is on the gateway's disk (IntakeStore); the intake then sends queued
 * submissions to the ledger, as the identity that sent them, a bounded number at a time, and
 * again after any outage or crash until the ledger commits or refuses them. The chaincode's
 * idempotency on reading ids makes a resend after a crash a replay: committed exactly once.
 */
export class ReadingIntake {
  readonly #o: ReadingIntakeOptions;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #retryAt = new Map<string, { at: number; delayMs: number; attempts: number }>();
  #cursor: string | undefined;
  #pausedUntil = 0;
  #outageDelayMs = 0;
  #filling = false;
  /**
   * Keys settled while a pass reads the queue: its LevelDB snapshot may still hold them, and
   * they must not be sent a second time.
   */
  #settledDuringPass: Set<string> | undefined;
  #refill = false;
  #timer: NodeJS.Timeout | undefined;
  #closing = false;
  #pruned = 0;

  constructor(options: ReadingIntakeOptions) {
    this.#o = options;
  }

  /** Starts sending what is queued (what a previous run left included). */
  start(): void {
    this.#kick();
  }

  /** Readings accepted and not yet settled. */
  get queuedReadings(): number {
    return this.#o.store.queuedReadings;
  }

  /**
   * Queues readings sent by `caller`; resolves with the submission's status once it is on disk.
   * @throws ApiError INVALID_ARGUMENT for a reading the ledger would refuse for its content,
   *   OVERLOADED when the intake is full, INTAKE_UNAVAILABLE when it cannot write its disk,
   *   SHUTTING_DOWN while the gateway stops.
   */
  async accept(
    caller: { readonly identity: string; readonly mspId: string },
    request: IntakeRequest,
  ): Promise<SubmissionStatus> {
    if (this.#closing) throw new ApiError('SHUTTING_DOWN', 'the gateway is shutting down');
    const { batch, signed } = request;
    const readings = signed === undefined ? (request.readings ?? []) : payloadsOf(signed);
    checkContent(readings, batch);
    const queued = this.#o.store.queuedReadings;
    if (queued + readings.length > this.#o.maxQueuedReadings) {
      throw new ApiError(
        'OVERLOADED',
        `the intake holds ${queued} readings not yet committed, its limit (INTAKE_MAX_READINGS ${this.#o.maxQueuedReadings}); retry shortly`,
        { details: { retryAfterSeconds: 1 } },
      );
    }
    const submission: QueuedSubmission = {
      submissionId: randomUUID(),
      identity: caller.identity,
      mspId: caller.mspId,
      batch,
      readings,
      ...(signed === undefined ? {} : { signed }),
      acceptedAt: new Date().toISOString(),
    };
    const status = queuedStatus(submission);
    try {
      await this.#o.store.append(submission, status);
    } catch (err) {
      if (!(err instanceof IntakeWriteError)) throw err;
      throw new ApiError('INTAKE_UNAVAILABLE', `${err.message}; nothing was queued`, {
        details: { retryAfterSeconds: 5 },
        cause: err,
      });
    }
    this.#kick();
    return status;
  }

  status(submissionId: string): Promise<SubmissionStatus | undefined> {
    return this.#o.store.status(submissionId);
  }

  /** Why the intake cannot take readings, while it cannot. */
  get problem(): string | undefined {
    return this.#o.store.problem;
  }

  /**
   * Takes no more readings and sends no more; waits for the ledger calls in flight for up to
   * `graceMs` (what is still queued stays on disk for the next start), then closes the store.
   */
  async close(graceMs: number): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight.values()]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    await this.#o.store.close();
  }

  #kick(): void {
    if (this.#closing) return;
    if (this.#filling) {
      this.#refill = true;
      return;
    }
    void this.#fill();
  }

  async #fill(): Promise<void> {
    this.#filling = true;
    try {
      do {
        this.#refill = false;
        this.#settledDuringPass = new Set();
        await this.#take();
        this.#settledDuringPass = undefined;
      } while (this.#refill && !this.#closing);
    } catch (err) {
      this.#o.logger.error({ err }, 'the intake cannot read its queue');
      this.#wakeIn(1000);
    } finally {
      this.#filling = false;
    }
    this.#prune();
  }

  /** Starts queued submissions until `concurrency` are in flight, skipping those waiting to retry. */
  async #take(): Promise<void> {
    const now = Date.now();
    if (now < this.#pausedUntil) return this.#wakeIn(this.#pausedUntil - now);
    let nextRetry = Infinity;
    for (;;) {
      const free = this.#o.concurrency - this.#inFlight.size;
      if (free <= 0 || this.#closing) break;
      const entries = await this.#o.store.queued(free, this.#cursor);
      if (entries.length === 0) break;
      for (const entry of entries) {
        this.#cursor = entry.key;
        if (this.#inFlight.has(entry.key) || this.#settledDuringPass?.has(entry.key)) continue;
        const retry = this.#retryAt.get(entry.key);
        if (retry !== undefined && retry.at > now) {
          nextRetry = Math.min(nextRetry, retry.at);
          continue;
        }
        const run = this.#send(entry).finally(() => {
          this.#inFlight.delete(entry.key);
          this.#kick();
        });
        this.#inFlight.set(entry.key, run);
      }
    }
    // At the end of the queue: the next pass starts from its head again (the retries are there).
    this.#cursor = undefined;
    if (nextRetry !== Infinity) this.#wakeIn(nextRetry - now);
  }

  #wakeIn(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#kick(), Math.max(0, ms));
    this.#timer.unref();
  }

  async #send(entry: QueueEntry): Promise<void> {
    const { submission } = entry;
    const retry = this.#retryAt.get(entry.key);
    const attempts = (retry?.attempts ?? 0) + 1;
    const base = { ...queuedStatus(submission), attempts };
    try {
      const { answer, recorded } = await this.#record(submission);
      const first = recorded[0]?.reading;
      const settled: SubmissionStatus = {
        ...base,
        state: 'committed',
        custodianMspId: first?.custodianMspId,
        // A replay wrote nothing: the transaction is the one that first recorded the readings.
        transactionId: answer.transactionId ?? first?.txId,
        ...(answer.blockNumber === undefined ? {} : { blockNumber: answer.blockNumber.toString() }),
        replayed: recorded.every((r) => r.replayed === true),
        settledAt: new Date().toISOString(),
      };
      await this.#o.store.settle(entry, settled);
      this.#settledDuringPass?.add(entry.key);
      this.#retryAt.delete(entry.key);
      this.#outageDelayMs = 0;
    } catch (err) {
      if (isTransient(err)) return this.#later(entry, base, err);
      const refusal = err as ApiError;
      this.#o.logger.info(
        { submissionId: submission.submissionId, code: refusal.code },
        `the ledger refused a queued submission: ${refusal.message}`,
      );
      await this.#o.store
        .settle(entry, {
          ...base,
          state: 'refused',
          error: { code: refusal.code, message: refusal.message },
          settledAt: new Date().toISOString(),
        })
        .then(() => {
          this.#settledDuringPass?.add(entry.key);
          this.#retryAt.delete(entry.key);
        })
        .catch((e: unknown) => this.#later(entry, base, e));
    }
  }

  /** The readings as one transaction of the identity that sent them (synchronous: the commit is awaited). */
  async #record(s: QueuedSubmission): Promise<{ answer: LedgerAnswer<unknown>; recorded: Recorded[] }> {
    const options = { identity: s.identity, mspId: s.mspId };
    if (s.signed !== undefined) {
      // Each in a transaction shared with other devices' readings (the gateway's batcher).
      const answers = await Promise.all(
        s.signed.map((signed) => this.#o.ledger.vitals.recordSigned(options, signed)),
      );
      return {
        answer: answers[0] as LedgerAnswer<unknown>,
        recorded: answers.map((a) => a.value as Recorded),
      };
    }
    const answer = s.batch
      ? await this.#o.ledger.vitals.recordBatch(options, s.readings)
      : await this.#o.ledger.vitals.record(options, s.readings[0] as ReadingInput);
    const recorded = Array.isArray(answer.value) ? (answer.value as Recorded[]) : [answer.value as Recorded];
    return { answer, recorded };
  }

  /** Keeps the submission queued and tries it again later; an outage pauses every submission. */
  async #later(entry: QueueEntry, status: SubmissionStatus, err: unknown): Promise<void> {
    const { initialMs, maxMs } = this.#o.retry ?? { initialMs: 250, maxMs: 5000 };
    const previous = this.#retryAt.get(entry.key);
    const delayMs = Math.min(maxMs, previous === undefined ? initialMs : previous.delayMs * 2);
    this.#retryAt.set(entry.key, { at: Date.now() + delayMs, delayMs, attempts: status.attempts });
    if (isOutage(err)) {
      this.#outageDelayMs = Math.min(maxMs, this.#outageDelayMs === 0 ? initialMs : this.#outageDelayMs * 2);
      this.#pausedUntil = Date.now() + this.#outageDelayMs;
    }
    const log = err instanceof ApiError && err.status < 500 ? 'info' : isOutage(err) ? 'warn' : 'error';
    this.#o.logger[log](
      {
        submissionId: status.submissionId,
        attempts: status.attempts,
        retryInMs: delayMs,
        err: (err as Error).message,
      },
      'a queued submission will be sent again',
    );
    await this.#o.store.noteAttempt(entry, status).catch(() => undefined);
  }

  /** At most once a minute, forgets statuses older than the retention. */
  #prune(): void {
    const now = Date.now();
    if (now - this.#pruned < 60_000 || this.#closing) return;
    this.#pruned = now;
    this.#o.store.prune(now - this.#o.retentionMs).catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'the intake cannot forget old statuses');
    });
  }
}

/** The readings signed payloads hold; a payload that is not a reading is refused (400). */
function payloadsOf(signed: readonly SignedReading[]): ReadingInput[] {
  return signed.map((s) => {
    try {
      return parseSignedPayload(s.payload, 'body');
    } catch (err) {
      if (err instanceof ChaincodeError) throw new ApiError('INVALID_ARGUMENT', err.detail);
      throw err;
    }
  });
}

/** What the chaincode would refuse for the readings' content alone, refused before they are queued. */
function checkContent(readings: readonly ReadingInput[], batch: boolean): void {
  const now = new Date();
  readings.forEach((reading, i) => {
    try {
      classifyReading(reading, now, batch ? `readings.${i}` : 'reading');
    } catch (err) {
      if (err instanceof ChaincodeError) throw new ApiError('INVALID_ARGUMENT', err.detail);
      throw err;
    }
  });
}
