/** A heart-rate reading of p-1 as a device or nurse posts it to `/api/v1/vitals`. */
export const sampleReading = {
  readingId: 'r-1',
  patientId: 'p-1',
  type: 'heartRate',
  value: 72,
  unit: '/min',
  observedAt: '2026-11-22T10:00:00Z',
} as const;
