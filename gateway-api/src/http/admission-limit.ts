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

/**
 * Completions of the last second (their times), and per second of the last ten the fastest write
 * and how many completed.
 */
class RecentWrites {
  readonly #completions: number[] = [];
  #head = 0;
  readonly #seconds: { second: number; ms: number; count: number }[] = [];

  add(nowMs: number, latencyMs: number): void {
    this.#completions.push(nowMs);
    const second = Math.floor(nowMs / 1000);
    const last = this.#seconds[this.#seconds.length - 1];
    if (last?.second === second) {
      last.ms = Math.min(last.ms, latencyMs);
      last.count += 1;
    } else this.#seconds.push({ second, ms: latencyMs, count: 1 });
    while ((this.#seconds[0]?.second ?? second) <= second - 10) this.#seconds.shift();
  }

  /**
   * What the ledger has shown it commits per second: the best of the last second and of each
   * full second of the last ten. Not the last second alone: while the limit holds concurrency
   * down the ledger commits less, and an estimate that followed it would shrink the limit again.
   */
  ratePerSecond(nowMs: number): number {
    while (this.#head < this.#completions.length && (this.#completions[this.#head] ?? 0) <= nowMs - 1000) {
      this.#head += 1;
    }
    if (this.#head > 4096) {
      this.#completions.splice(0, this.#head);
      this.#head = 0;
    }
    const second = Math.floor(nowMs / 1000);
    let best = this.#completions.length - this.#head;
    for (const s of this.#seconds)
      if (s.second < second && s.second > second - 10) best = Math.max(best, s.count);
    return best;
  }

  /** The fastest write of the last ten seconds, in ms (Infinity when none completed). */
  fastestMs(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let fastest = Infinity;
    for (const f of this.#seconds) if (f.second > second - 10) fastest = Math.min(fastest, f.ms);
    return fastest;
  }
}

/**
 * Admission control for ledger writes. Without a queue every write is admitted, up to `max` in
 * flight. A queue shows as the oldest write in flight having waited more than the fastest recent
 * write plus `maxQueueDelayMs` (the fastest one is what the network costs without queueing: a
 * few ms here, Fabric's BatchTimeout on a real network). Then a write is admitted only while
 * fewer are in flight than the ledger commits in that time (the best completion rate of the last
 * ten seconds × that latency: Little's law), so what is admitted still commits in time; one more is
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
  readonly #recent = new RecentWrites();
  #next = 0;
  /** The fastest write of the last 10 s, or of the last 10 s that had any. */
  #baselineMs: number | undefined;

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

  /**
   * Writes admitted at once now: `max`, or while a queue shows, what the ledger commits in time.
   * Before the first write has completed there is nothing to tell a queue from a cold start
   * (first transactions load identities and chaincode paths), so only `max` applies.
   */
  limit(): number {
    const now = this.#now();
    const oldest = this.#inFlight.values().next();
    const recentFastest = this.#recent.fastestMs(now);
    // A ledger that stopped answering keeps the last pace it showed.
    if (recentFastest !== Infinity) this.#baselineMs = recentFastest;
    if (this.#baselineMs === undefined) return this.#max;
    const allowedMs = this.#baselineMs + this.#maxQueueDelayMs;
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
      const done = this.#now();
      this.#recent.add(done, done - started);
      return result;
    } finally {
      this.#inFlight.delete(id);
    }
  }
}
