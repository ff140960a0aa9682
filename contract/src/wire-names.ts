/** Names clients must use exactly: chaincode event names and transient-map keys. */
export const EventName = {
  VitalAbnormal: 'VitalAbnormal',
  ConsentChanged: 'ConsentChanged',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/**
 * Transient-map keys: the inputs that carry patient data travel as transient data, which the
 * endorsing peer sees and the block does not (a transaction's arguments are in the block).
 */
export const TransientKey = {
  /** Patients:register — the demographics. */
  demographics: 'demographics',
  /** Devices:register — the device (and the patient it is bound to). */
  device: 'device',
  /** Vitals:record — one reading. */
  reading: 'reading',
  /** Vitals:recordBatch — the readings. */
  readings: 'readings',
  /** Vitals:recordSigned — readings as their devices signed them. */
  signedReadings: 'signedReadings',
  /** Consents:grant — the consent's terms. */
  consent: 'consent',
  /** LabResults:record — the result. */
  labResult: 'labResult',
  /** Prescriptions:prescribe — the prescription. */
  prescription: 'prescription',
  /** Prescriptions:dispense — the dispensation. */
  dispensation: 'dispensation',
} as const;
export type TransientKey = (typeof TransientKey)[keyof typeof TransientKey];
