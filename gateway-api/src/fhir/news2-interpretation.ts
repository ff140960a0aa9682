import type { Direction, VitalSign } from '@careledger/contract';
import type { CodeableConcept } from '@medplum/fhirtypes';
import { fhirSystem } from './fhir-terms';

/**
 * A reading's `Observation.interpretation`, from its NEWS2 sub-score and direction (RCP 2017):
 *
 * | NEWS2 sub-score | flag | direction low | direction high |
 * | --- | --- | --- | --- |
 * | 0 | normal | N Normal | N Normal |
 * | 1 | watch | L Low | H High |
 * | 2 | abnormal | LU Significantly low | HU Significantly high |
 * | 3 | critical | LL Critical low | HH Critical high |
 *
 * Codes of HL7 v3 ObservationInterpretation; the text names the sub-score, so a reader sees it
 * is NEWS2's judgement, not a laboratory reference range. Blood pressure is scored on its
 * systolic value. Blood glucose has no NEWS2 score, so it has no interpretation (undefined).
 */
export function news2Interpretation(
  vital: Pick<VitalSign, 'type' | 'news2Score' | 'direction' | 'flag'>,
): CodeableConcept | undefined {
  if (vital.type === 'bloodGlucose') return undefined;
  const coding = interpretationCode(vital.news2Score, vital.direction);
  const scored = vital.type === 'bloodPressure' ? ' (systolic)' : '';
  return {
    coding: [{ system: fhirSystem.interpretation, ...coding }],
    text: `NEWS2 sub-score ${vital.news2Score}${scored}: ${vital.flag}`,
  };
}

const codes = {
  low: [
    { code: 'L', display: 'Low' },
    { code: 'LU', display: 'Significantly low' },
    { code: 'LL', display: 'Critical low' },
  ],
  high: [
    { code: 'H', display: 'High' },
    { code: 'HU', display: 'Significantly high' },
    { code: 'HH', display: 'Critical high' },
  ],
} as const;

function interpretationCode(score: number, direction: Direction): { code: string; display: string } {
  if (score === 0 || direction === 'none') return { code: 'N', display: 'Normal' };
  const code = codes[direction][Math.min(score, 3) - 1];
  if (code === undefined) throw new RangeError(`no NEWS2 sub-score ${score}`);
  return code;
}
