import { ApiError } from '../errors/error-catalog';

/**
 * Admission control for ledger writes: at most `max` in flight. One more is refused at once
 * (`OVERLOADED`, 503 with `Retry-After`) instead of waiting in a queue that would make every
 * request late: past the ledger's capacity, what is admitted still commits in time and the
 * excess learns so in milliseconds, to resend later (with the same ids, idempotently).
 */
export class AdmissionLimit {
  readonly #max: number;
  #inFlight = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error('the admission limit must be a positive integer');
    this.#max = max;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Runs `work` if there is room, counting it until it settles.
   * @throws ApiError OVERLOADED when `max` writes are in flight already.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= this.#max) {
      throw new ApiError(
        'OVERLOADED',
        `the ledger is at capacity (${this.#max} writes in flight); retry shortly`,
        {
          details: { retryAfterSeconds: 1 },
        },
      );
    }
    this.#inFlight += 1;
    try {
      return await work();
    } finally {
      this.#inFlight -= 1;
    }
  }
}
