import { ChaincodeError } from '../error-code';
import type { ReadingInput } from './input-schemas';
import { flagOf, news2Score, type News2Score, type VitalFlag } from './news2';
import { vitalDefinitions } from './vital-definitions';

/** How far a reading's time may lie ahead of the transaction's time (device clock skew). */
export const maxClockSkewMs = 5 * 60 * 1000;

export interface ClassifiedReading {
  readonly input: ReadingInput;
  readonly loinc: string;
  /** observedAt normalised to UTC ISO 8601 with milliseconds, so keys sort by time. */
  readonly observedAt: string;
  readonly news2: News2Score;
  readonly flag: VitalFlag;
}

function checkRange(field: string, value: number, min: number, max: number, unit: string): void {
  if (value < min || value > max) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${field}: ${value} ${unit} is outside the plausible range ${min}-${max} ${unit} (sensor error?)`,
    );
  }
}

/**
 * Check a schema-valid reading against its type's unit and plausible range and classify it.
 * @throws ChaincodeError INVALID_ARGUMENT for a wrong unit, an implausible value, a diastolic
 *   not below the systolic, or a time too far in the future.
 */
export function classifyReading(input: ReadingInput, txTime: Date, path = 'reading'): ClassifiedReading {
  const definition = vitalDefinitions[input.type];
  if (input.unit !== definition.unit) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${path}.unit: ${input.type} is recorded in '${definition.unit}' (UCUM), got '${input.unit}'`,
    );
  }
  const observed = new Date(input.observedAt);
  if (observed.getTime() - txTime.getTime() > maxClockSkewMs) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${path}.observedAt: ${input.observedAt} is in the future`);
  }
  let scored: number;
  if (input.type === 'bloodPressure') {
    const bp = vitalDefinitions.bloodPressure;
    checkRange(`${path}.systolic`, input.systolic, bp.systolic.min, bp.systolic.max, bp.unit);
    checkRange(`${path}.diastolic`, input.diastolic, bp.diastolic.min, bp.diastolic.max, bp.unit);
    if (input.diastolic >= input.systolic) {
      throw new ChaincodeError('INVALID_ARGUMENT', `${path}.diastolic: must be below the systolic pressure`);
    }
    scored = input.systolic;
  } else {
    const scalar = vitalDefinitions[input.type];
    checkRange(`${path}.value`, input.value, scalar.min, scalar.max, scalar.unit);
    scored = input.value;
  }
  const news2 = news2Score(input.type, scored);
  return { input, loinc: definition.loinc, observedAt: observed.toISOString(), news2, flag: flagOf(news2) };
}
