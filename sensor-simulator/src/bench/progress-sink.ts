/** Live figures of the running round. */
export interface RoundProgress {
  /** Seconds since the round's start (warm-up included). */
  readonly elapsed: number;
  readonly total: number;
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Distinct transactions of the successes, as the server reported them. */
  readonly transactions: number;
  /** Latency of the latest success, ms. */
  readonly lastLatency: number;
}

/** Where a benchmark reports progress (a progress bar on stderr, or nothing). */
export interface ProgressSink {
  roundStarted(name: string, totalSeconds: number): void;
  update(progress: RoundProgress): void;
  roundFinished(): void;
}

export const silentProgress: ProgressSink = {
  roundStarted: () => undefined,
  update: () => undefined,
  roundFinished: () => undefined,
};
