import type { ConsentScope } from './rules/input-schemas';

/**
 * Every transaction the chaincode offers, by full name (`Contract:function`):
 * - `args`: its arguments in order; `transient`: the transient-map keys it reads (patient data
 *   travels only there, never in arguments, which are in every member's blocks);
 * - `submit`: whether a client must submit it (it writes) or evaluates it;
 * - `endorseByCustodian`: it reads or writes the patient's custodian's implicit collection, so
 *   exactly the custodian's peer must endorse or evaluate it: name the custodian in
 *   `endorsingOrganizations` (for a patient of the caller's own hospital, that is its own);
 * - `accessScope`: a read that another organisation is answered only within the window of its
 *   own committed `AccessLog:request` for that scope.
 */
export const transactionCatalog = {
  'Organizations:bootstrap': { args: ['registryJson'], submit: true },
  'Organizations:upsert': { args: ['organizationJson'], submit: true },
  'Organizations:get': { args: ['mspId'], submit: false },
  'Organizations:list': { args: [], submit: false },
  'Patients:register': {
    args: ['patientId'],
    submit: true,
    transient: ['demographics'],
    endorseByCustodian: true,
  },
  'Patients:get': { args: ['custodianMspId', 'patientId'], submit: false, endorseByCustodian: true },
  'Patients:list': { args: ['pageSize', 'bookmark'], submit: false },
  'Patients:readDemographics': {
    args: ['custodianMspId', 'patientId'],
    submit: false,
    endorseByCustodian: true,
    accessScope: 'demographics',
  },
  'Devices:register': { args: [], submit: true, transient: ['device'], endorseByCustodian: true },
  'Devices:bind': { args: ['deviceId', 'patientId'], submit: true, endorseByCustodian: true },
  'Devices:get': { args: ['deviceId'], submit: false, endorseByCustodian: true },
  'Devices:enrollKey': { args: [], submit: true, endorseByCustodian: true },
  'Vitals:record': { args: [], submit: true, transient: ['reading'], endorseByCustodian: true },
  'Vitals:recordBatch': { args: [], submit: true, transient: ['readings'], endorseByCustodian: true },
  'Vitals:recordSigned': {
    args: [],
    submit: true,
    transient: ['signedReadings'],
    endorseByCustodian: true,
  },
  'Vitals:get': {
    args: ['custodianMspId', 'patientId', 'readingId'],
    submit: false,
    endorseByCustodian: true,
    accessScope: 'vitals',
  },
  'Vitals:query': { args: ['queryJson'], submit: false, endorseByCustodian: true, accessScope: 'vitals' },
  'Vitals:acknowledge': { args: ['patientId', 'readingId'], submit: true, endorseByCustodian: true },
  'Vitals:getAcknowledgement': {
    args: ['custodianMspId', 'patientId', 'readingId'],
    submit: false,
    endorseByCustodian: true,
    accessScope: 'vitals',
  },
  'Consents:grant': { args: [], submit: true, transient: ['consent'], endorseByCustodian: true },
  'Consents:revoke': { args: ['patientId', 'consentId'], submit: true, endorseByCustodian: true },
  'Consents:get': { args: ['patientId', 'consentId'], submit: false, endorseByCustodian: true },
  'Consents:list': { args: ['patientId', 'pageSize', 'bookmark'], submit: false, endorseByCustodian: true },
  'Consents:history': { args: ['patientId', 'consentId'], submit: false, endorseByCustodian: true },
  'LabResults:record': { args: [], submit: true, transient: ['labResult'], endorseByCustodian: true },
  'LabResults:query': {
    args: ['custodianMspId', 'patientId', 'pageSize', 'bookmark'],
    submit: false,
    endorseByCustodian: true,
    accessScope: 'labResults',
  },
  'Prescriptions:prescribe': {
    args: [],
    submit: true,
    transient: ['prescription'],
    endorseByCustodian: true,
  },
  'Prescriptions:query': {
    args: ['custodianMspId', 'patientId', 'pageSize', 'bookmark'],
    submit: false,
    endorseByCustodian: true,
    accessScope: 'prescriptions',
  },
  'Prescriptions:dispense': { args: [], submit: true, transient: ['dispensation'], endorseByCustodian: true },
  'Prescriptions:history': {
    args: ['custodianMspId', 'patientId', 'prescriptionId'],
    submit: false,
    endorseByCustodian: true,
    accessScope: 'prescriptions',
  },
  'AccessLog:request': {
    args: ['custodianMspId', 'patientId', 'scope'],
    submit: true,
    endorseByCustodian: true,
  },
  'AccessLog:list': { args: ['patientId', 'pageSize', 'bookmark'], submit: false, endorseByCustodian: true },
} as const satisfies Record<
  string,
  {
    args: readonly string[];
    submit: boolean;
    transient?: readonly string[];
    endorseByCustodian?: boolean;
    accessScope?: ConsentScope;
  }
>;

export type TransactionName = keyof typeof transactionCatalog;

/** The chaincode's name on the channel. */
export const CHAINCODE_NAME = 'careledger';
