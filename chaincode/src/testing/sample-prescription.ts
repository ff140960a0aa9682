/** A valid `Prescriptions:prescribe` input: prescription rx-1 of ramipril for patient p-1. */
export const samplePrescription = {
  prescriptionId: 'rx-1',
  patientId: 'p-1',
  atc: 'C09AA05',
  medication: 'ramipril',
  dosage: '1 daily',
  quantity: 30,
} as const;
