import type { Rng } from '../random/rng';
import type { SignalModel, SignalSample, SignalState } from './signal-model';
import { stepSignal } from './signal-model';

/** Pulse-oximetry SpO2 in %: resting 96–99, never above 100. */
export const spo2Model: SignalModel = {
  baseline: [96, 99],
  ou: { theta: 1 / 20, sd: 0.7 },
  range: [50, 100],
  decimals: 0,
  effects: {
    desaturation: { target: 86, threshold: { side: 'low', value: 91 } },
  },
};

/** Next SpO2 sample (%) at t seconds. Desaturation holds it at ≤ 91 on its plateau. */
export function generateSpo2(state: SignalState, t: number, rng: Rng): SignalSample {
  return stepSignal(spo2Model, state, t, rng);
}
