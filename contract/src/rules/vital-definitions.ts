/**
 * Vital-sign types CareLedger accepts: LOINC code, UCUM unit and the plausible range outside
 * which a value is refused as a sensor error.
 */
export const vitalTypes = [
  'heartRate',
  'respiratoryRate',
  'spo2',
  'bodyTemperature',
  'bloodPressure',
  'bloodGlucose',
] as const;
export type VitalType = (typeof vitalTypes)[number];

export interface ScalarVitalDefinition {
  readonly kind: 'scalar';
  readonly loinc: string;
  readonly display: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
}

export interface BloodPressureDefinition {
  readonly kind: 'bloodPressure';
  readonly loinc: string;
  readonly display: string;
  readonly unit: string;
  readonly systolic: { readonly loinc: string; readonly min: number; readonly max: number };
  readonly diastolic: { readonly loinc: string; readonly min: number; readonly max: number };
}

export type VitalDefinition = ScalarVitalDefinition | BloodPressureDefinition;

export const vitalDefinitions = {
  heartRate: { kind: 'scalar', loinc: '8867-4', display: 'Heart rate', unit: '/min', min: 20, max: 300 },
  respiratoryRate: {
    kind: 'scalar',
    loinc: '9279-1',
    display: 'Respiratory rate',
    unit: '/min',
    min: 2,
    max: 80,
  },
  spo2: { kind: 'scalar', loinc: '2708-6', display: 'Oxygen saturation', unit: '%', min: 50, max: 100 },
  bodyTemperature: {
    kind: 'scalar',
    loinc: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    min: 25,
    max: 45,
  },
  bloodPressure: {
    kind: 'bloodPressure',
    loinc: '85354-9',
    display: 'Blood pressure panel',
    unit: 'mm[Hg]',
    systolic: { loinc: '8480-6', min: 40, max: 300 },
    diastolic: { loinc: '8462-4', min: 20, max: 200 },
  },
  bloodGlucose: {
    kind: 'scalar',
    loinc: '2339-0',
    display: 'Blood glucose',
    unit: 'mg/dL',
    min: 20,
    max: 1000,
  },
} as const satisfies Record<VitalType, VitalDefinition>;
