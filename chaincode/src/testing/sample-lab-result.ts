/** A valid `LabResults:record` input: glucose result lr-1 of patient p-1 of Hospital A. */
export const sampleLabResult = {
  resultId: 'lr-1',
  patientId: 'p-1',
  custodianMspId: 'HospitalAMSP',
  loinc: '2345-7',
  value: 5.4,
  unit: 'mmol/L',
  observedAt: '2026-11-22T09:00:00.000Z',
} as const;
