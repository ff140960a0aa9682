import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, retryAction, type RetryAction } from '../errors/retry-policy';

export interface RetryOptions {
  /** Retries after the first attempt: at most `retries + 1` attempts in all. */
  readonly retries: number;
  /** The action this loop handles; every other classification ends it. */
  readonly on: RetryAction;
  readonly sleep?: (ms: number) => Promise<unknown>;
  readonly backoff?: (attempt: number) => number;
  readonly onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Run `attempt(n)` (n = 0, 1, …) until it succeeds, `retryAction` of its error is not
 * `options.on`, or the retries are spent; then rethrow the last error unchanged.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? ((ms: number) => sleep(ms));
  const backoff = options.backoff ?? ((n: number) => backoffMs(n));
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= options.retries || retryAction(err) !== options.on) throw err;
      options.onRetry?.(n, err);
      await wait(backoff(n));
    }
  }
}
