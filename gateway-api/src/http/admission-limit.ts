import { ApiError } from '../errors/error-catalog';

export interface AdmissionOptions {
  /** Writes in flight at most, whatever else (`MAX_WRITES_IN_FLIGHT`). */
  readonly max: number;
  /**
   * How long a write may wait beyond the fastest recent one before the gateway sees a queue and
   * admits only what the ledger has shown it commits in that time (`MAX_WRITE_QUEUE_DELAY_MS`).
   */
  readonly maxQueueDelayMs: number;
  /** The clock, in ms (tests give their own). */
  readonly now?: () => number;
}

/** Per-second buckets over the last `seconds`: completions, and the fastest write of each. */
class RecentWrites {
  readonly #seconds: number;
  readonly #buckets: { second: number; count: number; fastestMs: number }[] = [];

  constructor(seconds: number) {
    this.#seconds = seconds;
  }

  add(nowMs: number, latencyMs: number): void {
    const second = Math.floor(nowMs / 1000);
    let last = this.#buckets[this.#buckets.length - 1];
    if (last?.second !== second) {
      last = { second, count: 0, fastestMs: Infinity };
      this.#buckets.push(last);
      while ((this.#buckets[0]?.second ?? second) <= second - this.#seconds) this.#buckets.shift();
    }
    last.count += 1;
    last.fastestMs = Math.min(last.fastestMs, latencyMs);
  }

  /** Writes completed per second, over the last full seconds (the current one is partial). */
  ratePerSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    const full = this.#buckets.filter((b) => b.second < second && b.second >= second - 3);
    return full.length === 0 ? 0 : full.reduce((n, b) => n + b.count, 0) / 3;
  }

  /** The fastest write of the window, in ms (Infinity before any). */
  fastestMs(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let fastest = Infinity;
    for (const b of this.#buckets)
      if (b.second > second - this.#seconds) fastest = Math.min(fastest, b.fastestMs);
    return fastest;
  }
}

/**
 * Admission control for ledger writes. Without a queue every write is admitted, up to `max` in
 * flight. A queue shows as the oldest write in flight having waited more than the fastest recent
 * write plus `maxQueueDelayMs` (the fastest one is what the network costs without queueing: a
 * few ms here, Fabric's BatchTimeout on a real network). Then a write is admitted only while
 * fewer are in flight than the ledger commits in that time (the completion rate of the last
 * seconds × that latency: Little's law), so what is admitted still commits in time; one more is
 * refused at once (`OVERLOADED`, 503 with `Retry-After`) instead of waiting in a queue that
 * would make every request late. The excess learns so in milliseconds and resends later with
 * the same ids (idempotently).
 */
export class AdmissionLimit {
  readonly #max: number;
  readonly #maxQueueDelayMs: number;
  readonly #now: () => number;
  /** Start times of the writes in flight, oldest first (a Map keeps insertion order). */
  readonly #inFlight = new Map<number, number>();
  readonly #recent = new RecentWrites(10);
  #next = 0;

  constructor(options: AdmissionOptions) {
    if (!Number.isInteger(options.max) || options.max < 1)
      throw new Error('the admission limit must be a positive integer');
    this.#max = options.max;
    this.#maxQueueDelayMs = options.maxQueueDelayMs;
    this.#now = options.now ?? (() => performance.now());
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Writes admitted at once now: `max`, or while a queue shows, what the ledger commits in time. */
  limit(): number {
    const now = this.#now();
    const oldest = this.#inFlight.values().next();
    const fastest = this.#recent.fastestMs(now);
    const allowedMs = (fastest === Infinity ? 0 : fastest) + this.#maxQueueDelayMs;
    if (oldest.done === true || now - oldest.value <= allowedMs) return this.#max;
    const committedInTime = Math.ceil((this.#recent.ratePerSecond(now) * allowedMs) / 1000);
    return Math.min(this.#max, Math.max(1, committedInTime));
  }

  /**
   * Runs `work` if there is room, counting it until it settles.
   * @throws ApiError OVERLOADED when as many writes as admitted now are in flight already.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.limit();
    if (this.#inFlight.size >= limit) {
      throw new ApiError(
        'OVERLOADED',
        limit === this.#max
          ? `the ledger is at capacity (${this.#max} writes in flight); retry shortly`
          : `the ledger is at capacity (${this.#inFlight.size} writes in flight wait longer than it commits in time); retry shortly`,
        { details: { retryAfterSeconds: 1 } },
      );
    }
    const id = this.#next++;
    const started = this.#now();
    this.#inFlight.set(id, started);
    try {
      const result = await work();
      this.#recent.add(this.#now(), this.#now() - started);
      return result;
    } finally {
      this.#inFlight.delete(id);
    }
  }
}
