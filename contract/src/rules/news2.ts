import type { VitalType } from './vital-definitions';

/**
 * NEWS2 sub-scores (Royal College of Physicians, 2017, chart 1) for the readings a sensor
 * produces. Pure: the same value always gives the same score on every endorser.
 */
export type Direction = 'low' | 'high' | 'none';
export type VitalFlag = 'normal' | 'watch' | 'abnormal' | 'critical';

export interface News2Score {
  readonly score: 0 | 1 | 2 | 3;
  readonly direction: Direction;
}

const normal: News2Score = { score: 0, direction: 'none' };
const low = (score: 1 | 2 | 3): News2Score => ({ score, direction: 'low' });
const high = (score: 1 | 2 | 3): News2Score => ({ score, direction: 'high' });

function respiratoryRate(v: number): News2Score {
  if (v <= 8) return low(3);
  if (v < 12) return low(1);
  if (v <= 20) return normal;
  if (v < 25) return high(2);
  return high(3);
}

function spo2Scale1(v: number): News2Score {
  if (v <= 91) return low(3);
  if (v < 94) return low(2);
  if (v < 96) return low(1);
  return normal;
}

function systolic(v: number): News2Score {
  if (v <= 90) return low(3);
  if (v <= 100) return low(2);
  if (v <= 110) return low(1);
  if (v < 220) return normal;
  return high(3);
}

function pulse(v: number): News2Score {
  if (v <= 40) return low(3);
  if (v <= 50) return low(1);
  if (v <= 90) return normal;
  if (v <= 110) return high(1);
  if (v <= 130) return high(2);
  return high(3);
}

function temperature(v: number): News2Score {
  if (v <= 35.0) return low(3);
  if (v <= 36.0) return low(1);
  if (v <= 38.0) return normal;
  if (v <= 39.0) return high(1);
  return high(2);
}

/** The NEWS2 sub-score of one reading; blood pressure scores on its systolic value. */
export function news2Score(type: VitalType, value: number): News2Score {
  switch (type) {
    case 'heartRate':
      return pulse(value);
    case 'respiratoryRate':
      return respiratoryRate(value);
    case 'spo2':
      return spo2Scale1(value);
    case 'bodyTemperature':
      return temperature(value);
    case 'bloodPressure':
      return systolic(value);
    case 'bloodGlucose':
      return normal;
  }
}

/** 3 is critical, 2 abnormal (both raise an event), 1 worth watching, 0 normal. */
export function flagOf(score: News2Score): VitalFlag {
  return (['normal', 'watch', 'abnormal', 'critical'] as const)[score.score];
}

export function raisesAlert(flag: VitalFlag): boolean {
  return flag === 'abnormal' || flag === 'critical';
}
