import { randomUUID } from 'node:crypto';
import { createRng, type Rng } from '../random/rng';
import { planEpisodes, type Episode, type EpisodeKind } from '../signals/episode';
import { initialPatientSignals, measure, type PatientSignals } from '../signals/patient-signals';
import type { Reading } from './reading';
import { vitalCycle, vitalTypes } from './vital-type';

export interface VirtualDeviceOptions {
  readonly deviceId: string;
  readonly patientId: string;
  /** Seed of this device's signals; the same seed gives the same values. */
  readonly seed: string | number;
  /** Part of every reading id, so runs do not collide on the ledger (default: a random UUID). */
  readonly runId?: string;
  /** Wall-clock time (ms since epoch) of t = 0, for `observedAt` (default: now). */
  readonly epochMs?: number;
  /** Share of time in an abnormal episode, 0–1 (default 0.1). */
  readonly abnormalShare?: number;
  /** Seconds over which episodes are planned (default one hour). */
  readonly horizon?: number;
  readonly episodeKinds?: readonly EpisodeKind[];
  /** Explicit episodes instead of planned ones. */
  readonly episodes?: readonly Episode[];
}

/**
 * A multi-parameter bedside monitor bound to one patient: each call to `next` measures the next
 * vital sign in `vitalCycle` and returns it as a reading with a unique id.
 */
export class VirtualDevice {
  readonly deviceId: string;
  readonly patientId: string;
  readonly episodes: readonly Episode[];
  readonly #rng: Rng;
  readonly #runId: string;
  readonly #epochMs: number;
  #signals: PatientSignals;
  #sequence = 0;

  constructor(options: Readonly<VirtualDeviceOptions>) {
    const root = createRng(options.seed);
    this.deviceId = options.deviceId;
    this.patientId = options.patientId;
    this.#runId = options.runId ?? randomUUID();
    this.#epochMs = options.epochMs ?? Date.now();
    this.episodes =
      options.episodes ??
      planEpisodes(root.fork('episodes'), {
        horizon: options.horizon ?? 3600,
        share: options.abnormalShare ?? 0.1,
        ...(options.episodeKinds ? { kinds: options.episodeKinds } : {}),
      });
    this.#rng = root.fork('signals');
    this.#signals = initialPatientSignals(this.#rng, this.episodes);
  }

  /** Number of readings produced so far. */
  get sequence(): number {
    return this.#sequence;
  }

  /** The next reading, measured at t seconds after the epoch (t must not go backwards). */
  next(t: number): Reading {
    const type = vitalCycle[this.#sequence % vitalCycle.length] ?? 'heartRate';
    const { signals, values } = measure(this.#signals, type, t, this.#rng);
    this.#signals = signals;
    this.#sequence += 1;
    const { unit } = vitalTypes[type];
    return {
      readingId: `${this.deviceId}-${this.#runId}-${this.#sequence}`,
      patientId: this.patientId,
      deviceId: this.deviceId,
      type,
      unit,
      ...values,
      observedAt: new Date(this.#epochMs + Math.round(t * 1000)).toISOString(),
    };
  }
}
