import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SendOutcome } from '../drivers/load-driver';
import { RoundRecorder, type RoundStats } from '../stats/round-recorder';
import type { Clock } from './clock';

export interface OpenLoopOptions {
  readonly users: number;
  /** Requests per second per user. */
  readonly rate: number;
  /** Seconds of load before measuring. */
  readonly warmup: number;
  /** Seconds measured. */
  readonly duration: number;
  /** Cap on requests in the round, warm-up included (default: no cap beyond the duration). */
  readonly maxRequests?: number;
  /** Requests allowed in flight at once; beyond it a due request fails as CLIENT_BACKLOG unsent. */
  readonly maxInFlight?: number;
  /** Seconds to wait for answers after the last send (default 30); what is still open fails as UNFINISHED. */
  readonly drainTimeout?: number;
  readonly clock: Clock;
  /** Aborting stops sending at once and waits for answers for at most `abortGrace` seconds (default 2). */
  readonly signal?: AbortSignal;
  readonly abortGrace?: number;
  /** Sends request `index` of `user`, scheduled at `t` seconds since the round's start. Must not throw. */
  readonly request: (user: number, t: number, index: number) => Promise<SendOutcome>;
  /** Called with the recorder once the measured period starts, for live progress. */
  readonly onMeasureStart?: (recorder: RoundRecorder) => void;
}

export interface OpenLoopResult extends RoundStats {
  /** Requests sent in the warm-up (not in the figures). */
  readonly warmupSent: number;
  /** True when the round was stopped before its end. */
  readonly interrupted: boolean;
}

const batchBeforeYield = 128;
const maxSleepMs = 100;

function validate(o: OpenLoopOptions): void {
  if (!Number.isInteger(o.users) || o.users < 1) throw new RangeError('users must be a positive integer');
  if (!(o.rate > 0)) throw new RangeError('rate must be positive');
  if (!(o.warmup >= 0) || !(o.duration > 0)) throw new RangeError('warmup must be ≥ 0 and duration > 0');
}

/**
 * Runs one round open-loop: request k of the round is scheduled at k / (users · rate) seconds and
 * goes to user k mod users, so each user sends at `rate` with the users evenly staggered. A
 * request leaves at its scheduled time whatever earlier requests are doing, and its latency is
 * measured from the scheduled time, so a stalled server (or a stalled load generator) shows up
 * as latency instead of as fewer requests (no coordinated omission).
 * @throws RangeError on invalid options, before anything is sent.
 */
export async function runOpenLoop(options: Readonly<OpenLoopOptions>): Promise<OpenLoopResult> {
  validate(options);
  const { clock, signal } = options;
  const intervalMs = 1000 / (options.users * options.rate);
  const warmupMs = options.warmup * 1000;
  const endMs = warmupMs + options.duration * 1000;
  const planned = Math.min(Math.ceil(endMs / intervalMs - 1e-9), options.maxRequests ?? Infinity);
  const maxInFlight = options.maxInFlight ?? Infinity;
  const recorder = new RoundRecorder(intervalMs);
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  let warmupSent = 0;
  let measuring = false;
  const start = clock.now();

  const fire = (index: number, intended: number): void => {
    const measured = intended >= warmupMs;
    const rel = (ms: number) => ms - warmupMs;
    if (measured && !measuring) {
      measuring = true;
      options.onMeasureStart?.(recorder);
    }
    if (!measured) warmupSent += 1;
    if (inFlight.size >= maxInFlight) {
      if (measured) {
        recorder.sent(rel(intended), rel(clock.now() - start), inFlight.size);
        recorder.failed('CLIENT_BACKLOG');
      }
      return;
    }
    const user = index % options.users;
    let sending: Promise<SendOutcome>;
    try {
      sending = options.request(user, intended / 1000, index);
    } catch (error) {
      sending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const promise = sending
      .catch((error: unknown): SendOutcome => ({ ok: false, code: 'CLIENT_ERROR', message: String(error) }))
      .then((outcome) => {
        inFlight.delete(promise);
        if (measured && !closed) recorder.completed(rel(intended), rel(clock.now() - start), outcome);
      });
    inFlight.add(promise);
    if (measured) recorder.sent(rel(intended), rel(clock.now() - start), inFlight.size);
  };

  let index = 0;
  let sinceYield = 0;
  while (index < planned && !signal?.aborted) {
    const intended = index * intervalMs;
    const now = clock.now() - start;
    if (intended > now) {
      sinceYield = 0;
      await clock.sleep(Math.min(intended - now, maxSleepMs));
      continue;
    }
    fire(index, intended);
    index += 1;
    // When behind schedule, keep sending but let answers in now and then.
    if (++sinceYield >= batchBeforeYield) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  }

  const interrupted = signal?.aborted === true;
  const waitMs = (interrupted ? (options.abortGrace ?? 2) : (options.drainTimeout ?? 30)) * 1000;
  const deadline = clock.now() + waitMs;
  while (inFlight.size > 0 && clock.now() < deadline) {
    await Promise.race([Promise.all(inFlight), clock.sleep(Math.min(maxSleepMs, deadline - clock.now()))]);
  }
  closed = true;
  const stats = recorder.stats();
  const unfinished = stats.sent - stats.succeeded - stats.failed;
  if (unfinished > 0) recorder.failed('UNFINISHED', unfinished);
  return { ...recorder.stats(), warmupSent, interrupted };
}
