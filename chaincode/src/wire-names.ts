/** Names clients must use exactly: chaincode event names and transient-map keys. */
export const EventName = {
  VitalAbnormal: 'VitalAbnormal',
  ConsentChanged: 'ConsentChanged',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** The transient-map key that carries a patient's demographics to Patients:register. */
export const DEMOGRAPHICS_TRANSIENT_KEY = 'demographics';
