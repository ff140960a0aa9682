/**
 * The vital signs a virtual device measures, with their LOINC codes and UCUM units (VITALS.md).
 * Blood pressure is one reading with systolic and diastolic components.
 */
export const vitalTypes = {
  heartRate: { loinc: '8867-4', unit: '/min' },
  respiratoryRate: { loinc: '9279-1', unit: '/min' },
  spo2: { loinc: '59408-5', unit: '%' },
  bodyTemperature: { loinc: '8310-5', unit: 'Cel' },
  bloodPressure: {
    loinc: '85354-9',
    unit: 'mm[Hg]',
    components: { systolic: '8480-6', diastolic: '8462-4' },
  },
} as const;

export type VitalType = keyof typeof vitalTypes;

/** The order in which a multi-parameter monitor cycles through its measurements. */
export const vitalCycle: readonly VitalType[] = [
  'heartRate',
  'spo2',
  'respiratoryRate',
  'bloodPressure',
  'bodyTemperature',
];
