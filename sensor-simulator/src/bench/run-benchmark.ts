import { VirtualDevice } from '../device/virtual-device';
import type { LoadDriver } from '../drivers/load-driver';
import { systemClock, type Clock } from '../load/clock';
import { runOpenLoop } from '../load/open-loop';
import type { BenchRound } from '../report/bench-report';
import type { RoundRecorder } from '../stats/round-recorder';
import { silentProgress, type ProgressSink } from './progress-sink';

/** The patient a device is bound to; user i of every driver is device i. */
export interface DeviceBinding {
  readonly deviceId: string;
  readonly patientId: string;
}

export interface BenchmarkOptions {
  readonly users: readonly number[];
  readonly rate: number;
  readonly warmup: number;
  readonly duration: number;
  readonly seed: string;
  readonly abnormalShare: number;
  readonly devices: readonly DeviceBinding[];
  /** Drivers by mode; at each user count every mode runs in this order, one after the other. */
  readonly drivers: readonly LoadDriver[];
  readonly maxRequests?: number;
  readonly maxInFlight?: number;
  readonly drainTimeout?: number;
  /** Distinguishes this run's reading ids from earlier runs' (default: the start time). */
  readonly runId?: string;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
  /**
   * Resident memory (MB) of the processes under test, sampled once a second during each round;
   * the round records the largest sample.
   */
  readonly serverMemoryMB?: () => number | undefined;
  /** Called after each round, e.g. to log it. */
  readonly onRound?: (round: BenchRound) => void;
}

/**
 * Runs every round (user count × mode) and returns their figures; stops after the current round
 * when `signal` aborts, returning what was measured. Device i sends as user i with the seed
 * `<seed>:<i>`, so modes and rounds see the same signals, under fresh reading ids.
 * @throws RangeError when a driver has fewer identities than the largest user count.
 */
export async function runBenchmark(options: Readonly<BenchmarkOptions>): Promise<BenchRound[]> {
  const largest = Math.max(...options.users);
  for (const driver of options.drivers) {
    if (driver.capacity < largest) {
      throw new RangeError(`${driver.mode} driver has ${driver.capacity} identities, ${largest} users asked`);
    }
  }
  if (options.devices.length < largest)
    throw new RangeError(`${options.devices.length} devices, ${largest} users asked`);
  const clock = options.clock ?? systemClock;
  const progress = options.progress ?? silentProgress;
  const runId = options.runId ?? Date.now().toString(36);
  const rounds: BenchRound[] = [];
  for (const users of options.users) {
    for (const driver of options.drivers) {
      if (options.signal?.aborted) return rounds;
      const epochMs = Date.now();
      const devices = options.devices.slice(0, users).map(
        (binding, i) =>
          new VirtualDevice({
            ...binding,
            seed: `${options.seed}:${i}`,
            runId: `${runId}-${driver.mode}-${users}`,
            epochMs,
            abnormalShare: options.abnormalShare,
            horizon: options.warmup + options.duration + 60,
          }),
      );
      const total = options.warmup + options.duration;
      progress.roundStarted(`${driver.mode}-${users}`, total);
      let recorder: RoundRecorder | undefined;
      let peakMemoryMB: number | undefined;
      const sampleMemory = (): void => {
        const mb = options.serverMemoryMB?.();
        if (mb !== undefined) peakMemoryMB = Math.max(peakMemoryMB ?? 0, mb);
      };
      const start = clock.now();
      let ticks = 0;
      const timer = setInterval(() => {
        const p = recorder?.progress ?? { sent: 0, succeeded: 0, failed: 0, transactions: 0, lastLatency: 0 };
        progress.update({ ...p, elapsed: Math.min(total, (clock.now() - start) / 1000), total });
        if (ticks++ % 4 === 0) sampleMemory();
      }, 250);
      try {
        const result = await runOpenLoop({
          users,
          rate: options.rate,
          warmup: options.warmup,
          duration: options.duration,
          clock,
          request: (user, t) => driver.send(user, devices[user]!.next(t)),
          onMeasureStart: (r) => (recorder = r),
          ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
          ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
          ...(options.drainTimeout !== undefined ? { drainTimeout: options.drainTimeout } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        sampleMemory();
        const round: BenchRound = {
          mode: driver.mode,
          users,
          rate: options.rate,
          ...result,
          ...(peakMemoryMB === undefined ? {} : { serverMemoryMB: peakMemoryMB }),
        };
        rounds.push(round);
        options.onRound?.(round);
      } finally {
        clearInterval(timer);
        progress.roundFinished();
      }
    }
  }
  return rounds;
}
