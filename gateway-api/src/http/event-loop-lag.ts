/**
 * How late this process's event loop runs, sampled every `intervalMs`: the delay of a timer
 * past its due time. A loop that runs hundreds of milliseconds late cannot answer anything in
 * time; the gateway then refuses new writes at once (cheaply, before authentication) instead of
 * accepting work it can only finish late.
 */
export class EventLoopLag {
  readonly #intervalMs: number;
  readonly #timer: NodeJS.Timeout;
  #due: number;
  #lagMs = 0;

  constructor(intervalMs = 20) {
    this.#intervalMs = intervalMs;
    this.#due = performance.now() + intervalMs;
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#lagMs = Math.max(0, now - this.#due);
      this.#due = now + this.#intervalMs;
    }, intervalMs);
    this.#timer.unref();
  }

  /**
   * The last sample's lag, or how long the current sample is overdue if that is more (a loop
   * blocked right now has not run the sampler yet).
   */
  get lagMs(): number {
    return Math.max(this.#lagMs, performance.now() - this.#due);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
