/**
 * What other packages (the REST gateway, the simulator, the networks) use of the chaincode.
 * Nothing here loads fabric-contract-api or fabric-shim: asset types are exported as types only.
 */
export { ErrorCode, ChaincodeError, parseChaincodeError } from './error-code';
export { transactionCatalog, CHAINCODE_NAME, type TransactionName } from './transaction-catalog';
export { EventName, TransientKey } from './wire-names';
export {
  isSealedAnswer,
  openAnswer,
  sealAnswer,
  type SealedAnswer,
  type Sealed,
} from './sealing/sealed-answer';
export * from './rules/input-schemas';
export {
  vitalDefinitions,
  vitalTypes,
  type VitalType,
  type VitalDefinition,
} from './rules/vital-definitions';
export {
  news2Score,
  flagOf,
  raisesAlert,
  type News2Score,
  type Direction,
  type VitalFlag,
} from './rules/news2';
export {
  permissionMatrix,
  actions,
  relations,
  type Action,
  type Relation,
  type Condition,
} from './rules/permission-matrix';
export { rolesByOrgType } from './rules/roles';
export { maxClockSkewMs } from './rules/vital-validation';
export {
  vitalSignOf,
  labResultOf,
  prescriptionOf,
  dispensationOf,
  deviceOf,
  consentOf,
} from './rules/records';
export { maxProposalSkewMs } from './proposal-time';
export { accessWindowMs } from './access-window';
export { maxActiveConsents } from './active-consents';
export { implicitCollection } from './ledger/private-records';

export type { Organization } from './assets/organization';
export type { Actor } from './assets/actor';
export type { Patient } from './assets/patient';
export type { Demographics } from './assets/demographics';
export type { Device } from './assets/device';
export type { VitalSign, RecordResult } from './assets/vital-sign';
export type { Receipt } from './assets/receipt';
export type { VitalAlert } from './vital-recorder';
export type { Consent } from './assets/consent';
export type { LabResult } from './assets/lab-result';
export type { Prescription, Dispensation } from './assets/prescription';
export type { AccessLogEntry } from './assets/access-log-entry';
export type { ConsentVersion, PrescriptionVersion } from './assets/pages';
export type { Page } from './ledger/bookmarks';
export type { PatientRef } from './patient-ref';
