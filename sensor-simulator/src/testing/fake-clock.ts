import type { Clock } from '../load/clock';

/**
 * Virtual time for scheduler tests: `sleep` registers a timer, and once every promise chain
 * has settled (a macrotask later) time jumps to the earliest timer. Tests run in microseconds
 * of real time and are exact.
 */
export class FakeClock implements Clock {
  #now = 0;
  #timers: { at: number; resolve: () => void }[] = [];
  #pumping = false;

  now(): number {
    return this.#now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#timers.push({ at: this.#now + Math.max(0, ms), resolve });
      this.#pump();
    });
  }

  /** Blocks "the event loop" for ms: time passes without any timer firing in between. */
  block(ms: number): void {
    this.#now += ms;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => {
      this.#pumping = false;
      if (this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      if (this.#timers.length > 0) this.#pump();
    });
  }
}
