/**
 * Every asset class. Loading this module registers them with fabric-contract-api, which the
 * contract metadata needs: a class used only as a type would otherwise never be loaded.
 */
export { AccessLogEntry } from './access-log-entry';
export { AlertAcknowledgement } from './alert-acknowledgement';
export { Actor } from './actor';
export { Consent } from './consent';
export { Contact, Demographics, EmergencyContact, Insurance } from './demographics';
export { Device } from './device';
export { LabResult, Money } from './lab-result';
export { Organization } from './organization';
export { Patient } from './patient';
export {
  AccessLogPage,
  ConsentPage,
  ConsentVersion,
  LabResultPage,
  PrescriptionVersion,
  PatientPage,
  PrescriptionPage,
  VitalSignPage,
} from './pages';
export { Dispensation, Prescription } from './prescription';
export { Receipt } from './receipt';
export { OutcomeError, ReadingOutcome } from './reading-outcome';
export { SealedAnswer } from './sealed';
export { VitalSign } from './vital-sign';
