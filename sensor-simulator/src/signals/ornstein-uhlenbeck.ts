import type { Rng } from '../random/rng';

/** Mean reversion and spread of a zero-mean Ornstein–Uhlenbeck deviation. */
export interface OuParameters {
  /** Reversion rate per second; 1/theta is the correlation time. */
  readonly theta: number;
  /** Stationary standard deviation. */
  readonly sd: number;
}

/**
 * Advances a zero-mean OU deviation by dt seconds using the exact transition (valid for any dt,
 * so irregular sampling stays consistent): d' = d·e^(−θdt) + sd·√(1 − e^(−2θdt))·N(0,1).
 */
export function ouStep(deviation: number, dt: number, params: OuParameters, rng: Rng): number {
  if (dt <= 0) return deviation;
  const decay = Math.exp(-params.theta * dt);
  return deviation * decay + params.sd * Math.sqrt(1 - decay * decay) * rng.normal();
}
