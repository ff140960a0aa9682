import { build, type Histogram } from 'hdr-histogram-js';

/** Latency figures of one round, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const microsPerMs = 1000;

/**
 * Records latencies into an HDR histogram (microsecond resolution, 3 significant digits), so
 * percentiles come from the full distribution, never from averages of averages. Min, max and
 * mean are kept exactly beside it.
 */
export class LatencyHistogram {
  readonly #histogram: Histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  /** Records one latency in milliseconds; negative values (clock noise) count as 0. */
  record(latencyMs: number): void {
    if (!Number.isFinite(latencyMs)) throw new RangeError(`latency must be finite, got ${latencyMs}`);
    const ms = Math.max(0, latencyMs);
    this.#histogram.recordValue(Math.max(1, Math.round(ms * microsPerMs)));
    this.#count += 1;
    this.#sum += ms;
    this.#min = Math.min(this.#min, ms);
    this.#max = Math.max(this.#max, ms);
  }

  /** Adds every value recorded by `other`. */
  merge(other: LatencyHistogram): void {
    this.#histogram.add(other.#histogram);
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#min = Math.min(this.#min, other.#min);
    this.#max = Math.max(this.#max, other.#max);
  }

  get count(): number {
    return this.#count;
  }

  /** The value at `percentile` (0–100) in ms, within 0.1 %. */
  percentile(percentile: number): number {
    if (this.#count === 0) return 0;
    return this.#histogram.getValueAtPercentile(percentile) / microsPerMs;
  }

  // The histogram answers with its bucket's upper bound, which can lie just above the exact max.
  #clamped(percentile: number): number {
    return Math.min(this.#max, Math.max(this.#min, this.percentile(percentile)));
  }

  /** All figures; zeros when nothing was recorded. */
  summary(): LatencySummary {
    if (this.#count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    return {
      count: this.#count,
      min: this.#min,
      mean: this.#sum / this.#count,
      p50: this.#clamped(50),
      p95: this.#clamped(95),
      p99: this.#clamped(99),
      max: this.#max,
    };
  }

  /** Frees the histogram's memory (it may use WebAssembly); the object must not be used after. */
  destroy(): void {
    this.#histogram.destroy();
  }
}
