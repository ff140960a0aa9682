/**
 * Every transaction the chaincode offers, by full name (`Contract:function`), with its
 * arguments in order and whether a client must submit it (it writes, or it may write an
 * access-log entry) or may evaluate it. `endorseByCustodian`: the patient's custodian must
 * endorse (it reads or writes the custodian's implicit collection); name it in
 * `endorsingOrganizations` when the caller is of another organisation.
 */
export const transactionCatalog = {
  'Organizations:bootstrap': { args: ['registryJson'], submit: true },
  'Organizations:upsert': { args: ['organizationJson'], submit: true },
  'Organizations:get': { args: ['mspId'], submit: false },
  'Organizations:list': { args: [], submit: false },
  'Patients:register': { args: ['patientId'], submit: true, transient: ['demographics'] },
  'Patients:get': { args: ['patientId'], submit: false },
  'Patients:custodianOf': { args: ['patientId'], submit: false },
  'Patients:list': { args: ['pageSize', 'bookmark'], submit: false },
  'Patients:readDemographics': { args: ['patientId'], submit: true, endorseByCustodian: true },
  'Devices:register': { args: ['deviceJson'], submit: true },
  'Devices:bind': { args: ['deviceId', 'patientId'], submit: true },
  'Devices:get': { args: ['deviceId'], submit: false },
  'Vitals:record': { args: ['readingJson'], submit: true },
  'Vitals:recordBatch': { args: ['readingsJson'], submit: true },
  'Vitals:get': { args: ['patientId', 'readingId'], submit: true },
  'Vitals:query': { args: ['queryJson'], submit: true },
  'Consents:grant': { args: ['consentJson'], submit: true, endorseByCustodian: true },
  'Consents:revoke': { args: ['patientId', 'consentId'], submit: true },
  'Consents:list': { args: ['patientId', 'pageSize', 'bookmark'], submit: false },
  'Consents:history': { args: ['patientId', 'consentId'], submit: false },
  'LabResults:record': { args: ['labResultJson'], submit: true },
  'LabResults:query': { args: ['patientId', 'pageSize', 'bookmark'], submit: true },
  'Prescriptions:prescribe': { args: ['prescriptionJson'], submit: true, endorseByCustodian: true },
  'Prescriptions:query': { args: ['patientId', 'pageSize', 'bookmark'], submit: true },
  'Prescriptions:dispense': { args: ['dispensationJson'], submit: true },
  'Prescriptions:history': { args: ['patientId', 'prescriptionId'], submit: true },
  'AccessLog:list': { args: ['patientId', 'pageSize', 'bookmark'], submit: false },
} as const satisfies Record<
  string,
  { args: readonly string[]; submit: boolean; transient?: readonly string[]; endorseByCustodian?: boolean }
>;

export type TransactionName = keyof typeof transactionCatalog;

/** The chaincode's name on the channel. */
export const CHAINCODE_NAME = 'careledger';
