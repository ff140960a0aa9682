/**
 * CareLedger's contract: what the chaincode accepts and answers, and the rules both sides share
 * (transaction catalogue, input schemas, error codes, asset types, vital definitions, NEWS2, the
 * permission matrix). The chaincode, the REST gateway and the simulator import it under this one
 * name. Nothing here loads fabric-contract-api or fabric-shim: asset types are exported as types
 * only; the decorated asset classes the chaincode registers are `@careledger/contract/assets`.
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
export { parseValue, parseJsonArgument, parsePageSize } from './rules/parse-input';
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
export { rolesByOrgType, isRoleOf } from './rules/roles';
export { maxClockSkewMs, classifyReading } from './rules/vital-validation';
export {
  signedReadingSchema,
  signedReadingBatchSchema,
  maxSignedBatch,
  signReading,
  verifyReadingSignature,
  parseSignedPayload,
  type SignedReading,
  type DeviceReading,
} from './rules/signed-reading';
export {
  vitalSignOf,
  labResultOf,
  prescriptionOf,
  dispensationOf,
  deviceOf,
  consentOf,
  acknowledgementOf,
} from './rules/records';
export { accessWindowMs, maxProposalSkewMs, maxActiveConsents } from './limits';
export { implicitCollection } from './implicit-collection';
export { parseRef, type PatientRef } from './patient-ref';

export type { Organization } from './assets/organization';
export type { Actor } from './assets/actor';
export type { Patient } from './assets/patient';
export type { Demographics } from './assets/demographics';
export type { Device } from './assets/device';
export type { VitalSign, RecordResult } from './assets/vital-sign';
export type { Receipt } from './assets/receipt';
export type { ReadingOutcome, OutcomeError } from './assets/reading-outcome';
export type { VitalAlert } from './assets/vital-alert';
export type { Consent, ConsentStatus } from './assets/consent';
export type { LabResult } from './assets/lab-result';
export type { Prescription, Dispensation } from './assets/prescription';
export type { AccessLogEntry } from './assets/access-log-entry';
export type { AlertAcknowledgement } from './assets/alert-acknowledgement';
export type { ConsentVersion, PrescriptionVersion } from './assets/pages';
export type { Page } from './page';
export {
  defaultOrganisations,
  demoUsers,
  demoUsersOf,
  orgTypeOf,
  type DemoUser,
  type MemberOrganisation,
} from './demo-network';
export * from './record-schemas';
export {
  news2Aggregate,
  news2Risk,
  latestNews2Observations,
  news2Parameters,
  news2SensorParameters,
  news2DefaultMaxAgeMs,
  type News2Aggregate,
  type News2AggregateOptions,
  type News2Observations,
  type News2Parameter,
  type News2ParameterScore,
  type News2ParameterStatus,
  type News2Reading,
  type News2Risk,
  type News2SensorParameter,
  type Acvpu,
  type TimedValue,
} from './rules/news2-aggregate';
export { news2AggregateRecord } from './rules/news2-aggregate-record';
