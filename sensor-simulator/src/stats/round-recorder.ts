import type { SendOutcome } from '../drivers/load-driver';
import { LatencyHistogram, type LatencySummary } from './latency-histogram';

/** Figures of one measured period (warm-up excluded). Times in ms, rates per second. */
export interface RoundStats {
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Failures by code, e.g. `{ TIMEOUT: 3, HTTP_503: 1 }`. */
  readonly failures: Readonly<Record<string, number>>;
  /** Requests sent per second over the measured period. */
  readonly sendRate: number;
  /**
   * Successful requests (readings) per second, from the period's start to the later of the send
   * window's end and the last success.
   */
  readonly throughput: number;
  /**
   * Distinct ledger transactions that recorded the period's successful readings, as the server
   * reported them (0 when it reported none). Below `succeeded` when readings share transactions.
   */
  readonly transactions: number;
  /** `transactions` per second, over the same window as `throughput`. */
  readonly transactionRate: number;
  /** Latency of successful requests, from their intended send time to their answer. */
  readonly latency: LatencySummary;
  /**
   * Latency of the requests the server refused with an answer (503 OVERLOADED and other error
   * codes it sent; not timeouts, client backlog or unfinished), the same way: how fast the
   * excess learns it was refused. Count 0 when none was.
   */
  readonly refusalLatency: LatencySummary;
  /** Mean ms per phase, over successes whose server reported a breakdown. */
  readonly breakdown: Readonly<Record<string, number>>;
  /** Largest delay between a request's intended and actual send time (load-generator lag). */
  readonly maxSendLag: number;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
}

/** Failures that are no answer of the server: not refusals. */
const unansweredCodes = new Set([
  'TIMEOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_REFUSED',
  'CONNECTION_RESET',
  'CLIENT_CLOSED',
  'NETWORK_ERROR',
  'NO_IDENTITY',
  'DEADLINE_EXCEEDED',
  'UNAVAILABLE',
]);

/** Collects one round's measured requests. Times are ms on the scheduler's clock, relative to the measured period's start. */
export class RoundRecorder {
  readonly #latency = new LatencyHistogram();
  readonly #refusalLatency = new LatencyHistogram();
  readonly #failures = new Map<string, number>();
  readonly #phaseSums = new Map<string, { sum: number; count: number }>();
  readonly #transactions = new Set<string>();
  readonly #intervalMs: number;
  #sent = 0;
  #succeeded = 0;
  #lastSend = 0;
  #lastSuccess = 0;
  #maxSendLag = 0;
  #maxInFlight = 0;
  #lastLatency = 0;

  /** @param intervalMs the scheduled gap between two requests of the whole round. */
  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** A request left at `actual`, scheduled for `intended`. */
  sent(intended: number, actual: number, inFlight: number): void {
    this.#sent += 1;
    this.#lastSend = Math.max(this.#lastSend, actual);
    this.#maxSendLag = Math.max(this.#maxSendLag, actual - intended);
    this.#maxInFlight = Math.max(this.#maxInFlight, inFlight);
  }

  /** A request scheduled for `intended` was answered at `completed` with `outcome`. */
  completed(intended: number, completed: number, outcome: SendOutcome): void {
    if (!outcome.ok) {
      this.failed(outcome.code);
      if (!unansweredCodes.has(outcome.code)) this.#refusalLatency.record(completed - intended);
      return;
    }
    this.#succeeded += 1;
    this.#lastSuccess = Math.max(this.#lastSuccess, completed);
    this.#lastLatency = completed - intended;
    this.#latency.record(this.#lastLatency);
    if (outcome.transactionId !== undefined) this.#transactions.add(outcome.transactionId);
    for (const [phase, ms] of Object.entries(outcome.breakdown ?? {})) {
      const entry = this.#phaseSums.get(phase) ?? { sum: 0, count: 0 };
      entry.sum += ms;
      entry.count += 1;
      this.#phaseSums.set(phase, entry);
    }
  }

  /** A request that failed without an answer (never sent, or unanswered when the round ended). */
  failed(code: string, count = 1): void {
    this.#failures.set(code, (this.#failures.get(code) ?? 0) + count);
  }

  /** Live figures for a progress line. */
  get progress(): {
    sent: number;
    succeeded: number;
    failed: number;
    transactions: number;
    lastLatency: number;
  } {
    return {
      sent: this.#sent,
      succeeded: this.#succeeded,
      failed: [...this.#failures.values()].reduce((a, b) => a + b, 0),
      transactions: this.#transactions.size,
      lastLatency: this.#lastLatency,
    };
  }

  stats(): RoundStats {
    const failed = this.progress.failed;
    const sendWindow = this.#sent > 0 ? (this.#lastSend + this.#intervalMs) / 1000 : 0;
    // Over the same window as the send rate, or longer when answers came after the last send.
    const successWindow = Math.max(sendWindow, this.#lastSuccess / 1000);
    const breakdown: Record<string, number> = {};
    for (const [phase, { sum, count }] of this.#phaseSums) breakdown[phase] = sum / count;
    return {
      sent: this.#sent,
      succeeded: this.#succeeded,
      failed,
      failures: Object.fromEntries([...this.#failures].sort(([a], [b]) => a.localeCompare(b))),
      sendRate: sendWindow > 0 ? this.#sent / sendWindow : 0,
      throughput: successWindow > 0 ? this.#succeeded / successWindow : 0,
      transactions: this.#transactions.size,
      transactionRate: successWindow > 0 ? this.#transactions.size / successWindow : 0,
      latency: this.#latency.summary(),
      refusalLatency: this.#refusalLatency.summary(),
      breakdown,
      maxSendLag: this.#maxSendLag,
      maxInFlight: this.#maxInFlight,
    };
  }
}
