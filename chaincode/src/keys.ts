/**
 * Every world-state key of the chaincode. Keys are composite in structure (an object type
 * and attributes, joined by U+0000) but do not start with U+0000 as the shim's
 * createCompositeKey does: the shim accepts range bounds inside its composite namespace only
 * as whole prefixes, and vital signs need arbitrary time bounds (`vital~patient~time~id`).
 * Attributes never contain U+0000 (identifiers are validated), so prefixes never collide.
 */
const SEP = '\u0000';
/** The smallest string greater than every key with a given prefix + SEP. */
const AFTER_SEP = '\u0001';

export interface KeyRange {
  readonly start: string;
  readonly end: string;
}

function key(type: string, ...attributes: string[]): string {
  return [type, ...attributes].join(SEP);
}

/** All keys of `type` whose leading attributes are `attributes`. */
export function prefixRange(type: string, ...attributes: string[]): KeyRange {
  const prefix = key(type, ...attributes) + SEP;
  return { start: prefix, end: key(type, ...attributes) + AFTER_SEP };
}

/**
 * Public world-state keys: only what endorsement and routing need. Patients are named within
 * their custodian (`patient·custodian·patientId`), so one organisation's ids never collide with,
 * or reserve, another's.
 */
export const keys = {
  registryConfig: () => key('registry'),
  organization: (mspId: string) => key('org', mspId),
  patient: (custodianMspId: string, patientId: string) => key('patient', custodianMspId, patientId),
};

/**
 * Keys inside an organisation's implicit private data collection. The collection is the
 * custodian's (or, for devices, the owner's), so these keys need no organisation of their own
 * except where several outside organisations write (a lab's results, a pharmacy's dispensations).
 * Fabric puts SHA-256 of each private key in the block unsalted: keys carry only pseudonymous ids.
 */
export const privateKeys = {
  demographics: (patientId: string) => key('demographics', patientId),
  device: (deviceId: string) => key('device', deviceId),
  /** The public key a device enrolled to sign its readings (`Devices:enrollKey`). */
  deviceKey: (deviceId: string) => key('deviceKey', deviceId),
  vital: (patientId: string, observedAt: string, readingId: string) =>
    key('vital', patientId, observedAt, readingId),
  readingIndex: (readingId: string) => key('reading', readingId),
  /** A reading's alert acknowledgement (`Vitals:acknowledge`). */
  alertAcknowledgement: (patientId: string, readingId: string) => key('ack', patientId, readingId),
  consent: (patientId: string, consentId: string) => key('consent', patientId, consentId),
  /** The patient's consents that are neither revoked nor known to be expired (point-read). */
  activeConsents: (patientId: string) => key('consents', patientId),
  labResult: (patientId: string, labMspId: string, resultId: string) =>
    key('lab', patientId, labMspId, resultId),
  prescription: (patientId: string, prescriptionId: string) => key('rx', patientId, prescriptionId),
  prescriptionVersion: (patientId: string, prescriptionId: string, at: string, txId: string) =>
    key('rxv', patientId, prescriptionId, at, txId),
  dispensation: (patientId: string, prescriptionId: string, pharmacyMspId: string, dispensationId: string) =>
    key('dispense', patientId, prescriptionId, pharmacyMspId, dispensationId),
  accessLog: (patientId: string, at: string, txId: string) => key('access', patientId, at, txId),
};

export const ranges = {
  organizations: () => prefixRange('org'),
  patientsOf: (custodianMspId: string) => prefixRange('patient', custodianMspId),
  consentsOf: (patientId: string) => prefixRange('consent', patientId),
  labResultsOf: (patientId: string) => prefixRange('lab', patientId),
  prescriptionsOf: (patientId: string) => prefixRange('rx', patientId),
  prescriptionVersionsOf: (patientId: string, prescriptionId: string) =>
    prefixRange('rxv', patientId, prescriptionId),
  accessLogOf: (patientId: string) => prefixRange('access', patientId),
  /** Access-log entries of a patient made in [from, to] (ISO times). */
  accessLogBetween: (patientId: string, from: string, to: string): KeyRange => ({
    start: key('access', patientId, from),
    end: key('access', patientId, to) + AFTER_SEP,
  }),
  /** Readings of a patient observed in [from, to); either bound may be open. */
  vitalsOf: (patientId: string, from?: string, to?: string): KeyRange => {
    const all = prefixRange('vital', patientId);
    return {
      start: from === undefined ? all.start : key('vital', patientId, from),
      end: to === undefined ? all.end : key('vital', patientId, to),
    };
  },
};

/** The attributes of a key built here (for history and debugging). */
export function splitKey(k: string): string[] {
  return k.split(SEP);
}
