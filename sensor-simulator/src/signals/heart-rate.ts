import type { Rng } from '../random/rng';
import type { SignalModel, SignalSample, SignalState } from './signal-model';
import { stepSignal } from './signal-model';

/** Pulse in /min: resting 60–88, correlated over ~30 s; raised by fever, hypoxia and hypotension. */
export const heartRateModel: SignalModel = {
  baseline: [60, 88],
  ou: { theta: 1 / 30, sd: 3 },
  range: [20, 300],
  decimals: 0,
  effects: {
    tachycardia: { target: 148, threshold: { side: 'high', value: 131 } },
    desaturation: { shift: 12 },
    fever: { shift: 15 },
    hypotension: { shift: 20 },
    'hypertensive-crisis': { shift: 8 },
  },
};

/** Next heart-rate sample (/min) at t seconds. Tachycardia holds it at ≥ 131 on its plateau. */
export function generateHeartRate(state: SignalState, t: number, rng: Rng): SignalSample {
  return stepSignal(heartRateModel, state, t, rng);
}
