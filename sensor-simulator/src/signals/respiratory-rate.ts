import type { Rng } from '../random/rng';
import type { SignalModel, SignalSample, SignalState } from './signal-model';
import { stepSignal } from './signal-model';

/** Respiration in /min: resting 12–18; faster with hypoxia, fever and tachycardia. */
export const respiratoryRateModel: SignalModel = {
  baseline: [12, 18],
  ou: { theta: 1 / 30, sd: 1.2 },
  range: [2, 80],
  decimals: 0,
  effects: {
    desaturation: { shift: 8 },
    fever: { shift: 4 },
    tachycardia: { shift: 3 },
    hypotension: { shift: 4 },
  },
};

/** Next respiratory-rate sample (/min) at t seconds. */
export function generateRespiratoryRate(state: SignalState, t: number, rng: Rng): SignalSample {
  return stepSignal(respiratoryRateModel, state, t, rng);
}
