import type { Rng } from '../random/rng';
import { activeWeight, onPlateau, type Episode, type EpisodeKind } from './episode';
import { ouStep, type OuParameters } from './ornstein-uhlenbeck';

/** What an episode does to one signal: move it towards `target` or shift it by `shift`. */
export type EpisodeEffect =
  | {
      /** Level reached on the episode's plateau. */
      readonly target: number;
      /** NEWS2 threshold held on the plateau, so the episode always crosses the band. */
      readonly threshold: { readonly side: 'high' | 'low'; readonly value: number };
    }
  | { readonly shift: number };

/** A vital sign's generator: baseline range, noise, plausible range, rounding and episode effects. */
export interface SignalModel {
  /** Range a patient's resting baseline is drawn from. */
  readonly baseline: readonly [number, number];
  readonly ou: OuParameters;
  /** Plausible range; values never leave it. */
  readonly range: readonly [number, number];
  readonly decimals: number;
  readonly effects: Partial<Record<EpisodeKind, EpisodeEffect>>;
}

/** A signal's state between two samples. Plain data: generators never mutate it. */
export interface SignalState {
  readonly baseline: number;
  /** Correlated deviation from the current target (Ornstein–Uhlenbeck). */
  readonly deviation: number;
  /** Seconds since the simulation's start of the last sample. */
  readonly t: number;
  readonly episodes: readonly Episode[];
}

export interface SignalSample {
  readonly state: SignalState;
  readonly value: number;
}

/** A fresh state: a baseline drawn from the model's range, a deviation from the stationary law. */
export function initialSignal(model: SignalModel, rng: Rng, episodes: readonly Episode[] = []): SignalState {
  const [low, high] = model.baseline;
  return { baseline: low + rng.next() * (high - low), deviation: model.ou.sd * rng.normal(), t: 0, episodes };
}

/** The noise-free level at time t: baseline moved by every active episode. */
export function targetLevel(model: SignalModel, state: SignalState, t: number): number {
  let level = state.baseline;
  for (const [kind, effect] of Object.entries(model.effects) as [EpisodeKind, EpisodeEffect][]) {
    const weight = activeWeight(state.episodes, kind, t);
    if (weight === 0) continue;
    level += 'target' in effect ? weight * (effect.target - state.baseline) : weight * effect.shift;
  }
  return level;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * One sample at time t (seconds, not before the state's time): target level plus correlated
 * noise, held beyond the NEWS2 threshold on an episode's plateau, rounded, kept within the
 * plausible range. Pure: the same state, t and generator state give the same sample.
 */
export function stepSignal(model: SignalModel, state: SignalState, t: number, rng: Rng): SignalSample {
  const deviation = ouStep(state.deviation, t - state.t, model.ou, rng);
  let value = round(targetLevel(model, state, t) + deviation, model.decimals);
  for (const [kind, effect] of Object.entries(model.effects) as [EpisodeKind, EpisodeEffect][]) {
    if (!('threshold' in effect) || !onPlateau(state.episodes, kind, t)) continue;
    const { side, value: threshold } = effect.threshold;
    value = side === 'high' ? Math.max(value, threshold) : Math.min(value, threshold);
  }
  value = Math.min(model.range[1], Math.max(model.range[0], value));
  return { state: { ...state, deviation, t: Math.max(t, state.t) }, value };
}
