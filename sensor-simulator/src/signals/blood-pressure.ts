import type { Rng } from '../random/rng';
import type { Episode } from './episode';
import { initialSignal, stepSignal, type SignalModel, type SignalState } from './signal-model';

/** Systolic pressure in mm[Hg]: resting 108–138. */
export const systolicModel: SignalModel = {
  baseline: [108, 138],
  ou: { theta: 1 / 60, sd: 4 },
  range: [40, 300],
  decimals: 0,
  effects: {
    hypotension: { target: 78, threshold: { side: 'low', value: 90 } },
    'hypertensive-crisis': { target: 232, threshold: { side: 'high', value: 220 } },
  },
};

/** Diastolic pressure in mm[Hg]: resting 64–86. */
export const diastolicModel: SignalModel = {
  baseline: [64, 86],
  ou: { theta: 1 / 60, sd: 3 },
  range: [20, 200],
  decimals: 0,
  effects: {
    hypotension: { target: 48, threshold: { side: 'low', value: 60 } },
    'hypertensive-crisis': { target: 128, threshold: { side: 'high', value: 120 } },
  },
};

/** The smallest pulse pressure (systolic − diastolic) the generator lets through. */
export const minPulsePressure = 15;

export interface BloodPressureState {
  readonly systolic: SignalState;
  readonly diastolic: SignalState;
}

export interface BloodPressureSample {
  readonly state: BloodPressureState;
  readonly systolic: number;
  readonly diastolic: number;
}

export function initialBloodPressure(rng: Rng, episodes: readonly Episode[] = []): BloodPressureState {
  return {
    systolic: initialSignal(systolicModel, rng, episodes),
    diastolic: initialSignal(diastolicModel, rng, episodes),
  };
}

/**
 * Next blood-pressure sample at t seconds; diastolic is always below systolic by at least
 * `minPulsePressure`. Hypotension holds systolic ≤ 90, a hypertensive crisis ≥ 220.
 */
export function generateBloodPressure(state: BloodPressureState, t: number, rng: Rng): BloodPressureSample {
  const systolic = stepSignal(systolicModel, state.systolic, t, rng);
  const diastolic = stepSignal(diastolicModel, state.diastolic, t, rng);
  const floor = diastolicModel.range[0];
  return {
    state: { systolic: systolic.state, diastolic: diastolic.state },
    systolic: systolic.value,
    diastolic: Math.max(floor, Math.min(diastolic.value, systolic.value - minPulsePressure)),
  };
}
