import type { Rng } from '../random/rng';
import type { SignalModel, SignalSample, SignalState } from './signal-model';
import { stepSignal } from './signal-model';

/** Body temperature in °C: resting 36.4–37.2, slowly varying (correlation ~5 min). */
export const temperatureModel: SignalModel = {
  baseline: [36.4, 37.2],
  ou: { theta: 1 / 300, sd: 0.12 },
  range: [25, 45],
  decimals: 1,
  effects: {
    fever: { target: 39.6, threshold: { side: 'high', value: 39.1 } },
  },
};

/** Next temperature sample (°C) at t seconds. Fever holds it at ≥ 39.1 on its plateau. */
export function generateTemperature(state: SignalState, t: number, rng: Rng): SignalSample {
  return stepSignal(temperatureModel, state, t, rng);
}
