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

export const keys = {
  registryConfig: () => key('registry'),
  organization: (mspId: string) => key('org', mspId),
  patient: (patientId: string) => key('patient', patientId),
  patientByCustodian: (custodianMspId: string, patientId: string) =>
    key('custodian', custodianMspId, patientId),
  device: (deviceId: string) => key('device', deviceId),
  vital: (patientId: string, observedAt: string, readingId: string) =>
    key('vital', patientId, observedAt, readingId),
  readingIndex: (readingId: string) => key('reading', readingId),
  consent: (patientId: string, consentId: string) => key('consent', patientId, consentId),
  labResult: (patientId: string, resultId: string) => key('lab', patientId, resultId),
  prescription: (patientId: string, prescriptionId: string) => key('rx', patientId, prescriptionId),
  dispensation: (patientId: string, prescriptionId: string, dispensationId: string) =>
    key('dispense', patientId, prescriptionId, dispensationId),
  accessLog: (patientId: string, at: string, txId: string) => key('access', patientId, at, txId),
};

export const ranges = {
  organizations: () => prefixRange('org'),
  patientsOf: (custodianMspId: string) => prefixRange('custodian', custodianMspId),
  consentsOf: (patientId: string) => prefixRange('consent', patientId),
  labResultsOf: (patientId: string) => prefixRange('lab', patientId),
  prescriptionsOf: (patientId: string) => prefixRange('rx', patientId),
  dispensationsOf: (patientId: string, prescriptionId: string) =>
    prefixRange('dispense', patientId, prescriptionId),
  accessLogOf: (patientId: string) => prefixRange('access', patientId),
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
