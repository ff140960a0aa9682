import type { Rng } from '../random/rng';

/** Abnormal episodes the simulator can inject; each crosses a NEWS2 band on purpose. */
export const episodeKinds = [
  'tachycardia',
  'desaturation',
  'fever',
  'hypotension',
  'hypertensive-crisis',
] as const;
export type EpisodeKind = (typeof episodeKinds)[number];

/** One abnormal episode of a patient, in seconds since the simulation's start. */
export interface Episode {
  readonly kind: EpisodeKind;
  readonly start: number;
  readonly duration: number;
  /** Seconds to move from baseline to the abnormal level (and back at the end). */
  readonly ramp: number;
}

/**
 * How far into an episode the patient is at time t: 0 outside, 1 on the plateau, a linear ramp in
 * between. The plateau is where the value is guaranteed beyond the NEWS2 threshold.
 */
export function episodeWeight(episode: Episode, t: number): number {
  const end = episode.start + episode.duration;
  if (t <= episode.start || t >= end) return 0;
  const ramp = Math.min(episode.ramp, episode.duration / 2);
  if (ramp <= 0) return 1;
  return Math.min(1, (t - episode.start) / ramp, (end - t) / ramp);
}

/** The strongest episode of `kind` at time t, as a weight in [0, 1]. */
export function activeWeight(episodes: readonly Episode[], kind: EpisodeKind, t: number): number {
  let weight = 0;
  for (const episode of episodes)
    if (episode.kind === kind) weight = Math.max(weight, episodeWeight(episode, t));
  return weight;
}

/** True when t lies on the plateau (full strength) of an episode of `kind`. */
export function onPlateau(episodes: readonly Episode[], kind: EpisodeKind, t: number): boolean {
  return activeWeight(episodes, kind, t) >= 1;
}

export interface EpisodePlanOptions {
  /** Seconds to plan for. */
  readonly horizon: number;
  /** Share of time (0–1) the patient should spend in an episode; 0 plans none. */
  readonly share: number;
  /** Length of one episode in seconds (default 20). */
  readonly duration?: number;
  /** Ramp in seconds (default a quarter of the duration). */
  readonly ramp?: number;
  /** Kinds to pick from (default all). */
  readonly kinds?: readonly EpisodeKind[];
}

/**
 * Plans non-overlapping episodes as a Poisson process whose gaps make the expected share of time
 * in an episode equal `share`. Deterministic for a given generator state.
 * @throws RangeError when share is outside [0, 1) or the horizon or duration is not positive.
 */
export function planEpisodes(rng: Rng, options: Readonly<EpisodePlanOptions>): Episode[] {
  const duration = options.duration ?? 20;
  const kinds = options.kinds ?? episodeKinds;
  if (!(options.share >= 0 && options.share < 1)) throw new RangeError('episode share must be in [0, 1)');
  if (!(options.horizon > 0) || !(duration > 0))
    throw new RangeError('horizon and duration must be positive');
  if (kinds.length === 0 || options.share === 0) return [];
  const ramp = options.ramp ?? duration / 4;
  const meanGap = (duration * (1 - options.share)) / options.share;
  const episodes: Episode[] = [];
  let t = -Math.log(1 - rng.next()) * meanGap;
  while (t < options.horizon) {
    const kind = kinds[rng.int(0, kinds.length - 1)] ?? 'tachycardia';
    episodes.push({ kind, start: t, duration, ramp });
    t += duration - Math.log(1 - rng.next()) * meanGap;
  }
  return episodes;
}
