import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** Monotonic time in ms and a way to wait; injected so the scheduler can be tested in fake time. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The process's monotonic clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => delay(Math.max(0, ms)),
};
