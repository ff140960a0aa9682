import { vitalDefinitions, type VitalType as LedgerVitalType } from '@careledger/contract';

/**
 * The order in which a multi-parameter monitor cycles through its measurements. Blood pressure
 * is one reading with systolic and diastolic components; blood glucose is not measured.
 */
export const vitalCycle = [
  'heartRate',
  'spo2',
  'respiratoryRate',
  'bloodPressure',
  'bodyTemperature',
] as const satisfies readonly LedgerVitalType[];

/** The vital signs a virtual device measures. */
export type VitalType = (typeof vitalCycle)[number];

/**
 * LOINC code and UCUM unit of each vital sign a virtual device measures: the chaincode's own
 * definitions, so a reading's unit is the one the ledger expects.
 */
export const vitalTypes = Object.fromEntries(
  vitalCycle.map((type) => [type, vitalDefinitions[type]]),
) as Readonly<Pick<typeof vitalDefinitions, VitalType>>;
