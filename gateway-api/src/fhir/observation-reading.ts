import {
  ChaincodeError,
  classifyReading,
  parseValue,
  readingSchema,
  vitalDefinitions,
  vitalTypes,
  type ReadingInput,
  type VitalType,
} from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { decodeFhirId } from './fhir-id';
import { deviceIdSystem, fhirSystem, loincAliases, patientIdSystem, readingIdSystem } from './fhir-terms';

/** A FHIR input error: 400 with the FHIRPath of what is wrong (the OperationOutcome's `expression`). */
export function invalidFhir(expression: string, message: string): ApiError {
  return new ApiError('INVALID_ARGUMENT', `${expression}: ${message}`, { details: { expression } });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayAt = (o: Json, key: string): unknown[] => {
  const v = o[key];
  return Array.isArray(v) ? v : [];
};

/**
 * Elements of an Observation the ledger does not keep but may ignore: the server's own
 * (id, meta, text, issued), and what the ledger decides itself (interpretation: NEWS2;
 * performer: the caller). Any other element would be lost, so it is refused.
 */
const ignored = new Set(['resourceType', 'id', 'meta', 'text', 'issued', 'interpretation', 'performer']);
const kept = new Set([
  'identifier',
  'status',
  'category',
  'code',
  'subject',
  'effectiveDateTime',
  'device',
  'valueQuantity',
  'component',
]);

/** The vital type a LOINC code names, or undefined. */
export function vitalTypeOfLoinc(loinc: string): VitalType | undefined {
  return vitalTypes.find((t) => vitalDefinitions[t].loinc === loinc) ?? loincAliases[loinc];
}

/** Patient and custodian a `Patient/<id>` reference or FHIR id names; one part: the caller's own patient. */
export function patientOfFhirId(
  id: string,
  callerMspId: string,
): { custodianMspId: string; patientId: string } | undefined {
  const parts = decodeFhirId(id);
  if (parts?.length === 2) return { custodianMspId: parts[0] as string, patientId: parts[1] as string };
  if (parts?.length === 1) return { custodianMspId: callerMspId, patientId: parts[0] as string };
  return undefined;
}

function subjectOf(o: Json, callerMspId: string): { custodianMspId: string; patientId: string } {
  const subject = o.subject;
  if (!isObject(subject)) throw invalidFhir('Observation.subject', 'a Patient reference is required');
  if (typeof subject.reference === 'string') {
    const match = /^Patient\/([^/]+)$/.exec(subject.reference);
    const ref = match ? patientOfFhirId(match[1] as string, callerMspId) : undefined;
    if (ref === undefined)
      throw invalidFhir('Observation.subject.reference', 'not a CareLedger Patient/<id>');
    return ref;
  }
  const identifier = subject.identifier;
  if (isObject(identifier) && typeof identifier.value === 'string' && typeof identifier.system === 'string') {
    const match = /^urn:careledger:(.+):patient$/.exec(identifier.system);
    if (match) return { custodianMspId: match[1] as string, patientId: identifier.value };
  }
  throw invalidFhir(
    'Observation.subject',
    `a Patient/<id> reference or an identifier of ${patientIdSystem('<MSP ID>')}`,
  );
}

function deviceOf(o: Json, custodianMspId: string): string | undefined {
  const device = o.device;
  if (device === undefined) return undefined;
  if (!isObject(device)) throw invalidFhir('Observation.device', 'must be a Device reference');
  if (typeof device.reference === 'string') {
    const match = /^Device\/([^/]+)$/.exec(device.reference);
    const parts = match ? decodeFhirId(match[1] as string) : undefined;
    if (parts?.length === 2 && parts[0] === custodianMspId) return parts[1];
    throw invalidFhir('Observation.device.reference', `not a Device/<id> of ${custodianMspId}`);
  }
  const identifier = device.identifier;
  if (isObject(identifier) && identifier.system === deviceIdSystem(custodianMspId)) {
    if (typeof identifier.value === 'string') return identifier.value;
  }
  throw invalidFhir(
    'Observation.device',
    `a Device/<id> reference or an identifier of ${deviceIdSystem(custodianMspId)}`,
  );
}

function typeOf(o: Json): VitalType {
  const category = arrayAt(o, 'category').some(
    (c) =>
      isObject(c) &&
      arrayAt(c, 'coding').some(
        (k) => isObject(k) && k.system === fhirSystem.observationCategory && k.code === 'vital-signs',
      ),
  );
  if (!category)
    throw invalidFhir('Observation.category', `must hold ${fhirSystem.observationCategory}|vital-signs`);
  const code = o.code;
  const types = new Set(
    (isObject(code) ? arrayAt(code, 'coding') : [])
      .filter((k): k is Json => isObject(k) && k.system === fhirSystem.loinc && typeof k.code === 'string')
      .map((k) => vitalTypeOfLoinc(k.code as string))
      .filter((t) => t !== undefined),
  );
  const [type, ...others] = [...types];
  if (type === undefined || others.length > 0) {
    const known = vitalTypes.map((t) => vitalDefinitions[t].loinc).join(', ');
    throw invalidFhir('Observation.code', `must hold exactly one LOINC code of a vital sign (${known})`);
  }
  return type;
}

function valueOf(q: unknown, type: VitalType, expression: string): number {
  if (!isObject(q)) throw invalidFhir(expression, 'a Quantity is required');
  const unit = vitalDefinitions[type].unit;
  if (q.system !== fhirSystem.ucum || q.code !== unit)
    throw invalidFhir(
      `${expression}.code`,
      `${type} is recorded in UCUM '${unit}' (system ${fhirSystem.ucum})`,
    );
  if (q.comparator !== undefined)
    throw invalidFhir(`${expression}.comparator`, 'a reading is an exact value');
  if (typeof q.value !== 'number') throw invalidFhir(`${expression}.value`, 'a number is required');
  return q.value;
}

function componentValue(o: Json, loinc: string, type: VitalType): number {
  const matches = arrayAt(o, 'component').filter(
    (c) =>
      isObject(c) &&
      isObject(c.code) &&
      arrayAt(c.code, 'coding').some((k) => isObject(k) && k.system === fhirSystem.loinc && k.code === loinc),
  ) as Json[];
  const expression = `Observation.component.where(code.coding.code = '${loinc}')`;
  if (matches.length !== 1) throw invalidFhir(expression, 'exactly one component is required');
  return valueOf((matches[0] as Json).valueQuantity, type, `${expression}.valueQuantity`);
}

/**
 * The reading a vital-sign Observation (as `observationOf` writes it, or a device hub sends it)
 * records for `callerMspId`, the hospital recording it; inverse of `observationOf` on what a
 * reading holds. NEWS2 (interpretation) and the recorder (performer) are the ledger's to decide
 * and are ignored.
 * @throws ApiError INVALID_ARGUMENT (with the FHIRPath of the element) for what is not a
 *   CareLedger vital sign, or what the ledger would refuse for its content alone (ranges, units,
 *   a time in the future); ACCESS_DENIED for a patient of another hospital.
 */
export function readingOf(resource: unknown, callerMspId: string, now = new Date()): ReadingInput {
  if (!isObject(resource) || resource.resourceType !== 'Observation')
    throw invalidFhir('Observation', 'an Observation resource is required');
  for (const key of Object.keys(resource)) {
    if (!ignored.has(key) && !kept.has(key))
      throw invalidFhir(
        `Observation.${key}`,
        'CareLedger does not store this element; send the reading without it',
      );
  }
  if (resource.status !== 'final')
    throw invalidFhir('Observation.status', "a reading is recorded as 'final'");
  const type = typeOf(resource);
  const { custodianMspId, patientId } = subjectOf(resource, callerMspId);
  if (custodianMspId !== callerMspId) {
    throw new ApiError(
      'ACCESS_DENIED',
      `Observation.subject: a reading is recorded by the patient's own hospital (${custodianMspId}), not ${callerMspId}`,
    );
  }
  const ids = arrayAt(resource, 'identifier').filter(
    (i): i is Json => isObject(i) && i.system === readingIdSystem(custodianMspId),
  );
  if (ids.length !== 1 || typeof ids[0]?.value !== 'string')
    throw invalidFhir(
      'Observation.identifier',
      `exactly one identifier of ${readingIdSystem(custodianMspId)} (the reading id) is required`,
    );
  if (typeof resource.effectiveDateTime !== 'string')
    throw invalidFhir('Observation.effectiveDateTime', 'the time of the reading is required');
  const deviceId = deviceOf(resource, custodianMspId);
  const base = {
    readingId: ids[0].value,
    patientId,
    ...(deviceId === undefined ? {} : { deviceId }),
    observedAt: resource.effectiveDateTime,
  };
  const unit = vitalDefinitions[type].unit;
  let candidate: unknown;
  if (type === 'bloodPressure') {
    if (resource.valueQuantity !== undefined)
      throw invalidFhir('Observation.valueQuantity', 'a blood pressure panel has its values in components');
    const bp = vitalDefinitions.bloodPressure;
    candidate = {
      ...base,
      type,
      systolic: componentValue(resource, bp.systolic.loinc, type),
      diastolic: componentValue(resource, bp.diastolic.loinc, type),
      unit,
    };
  } else {
    if (resource.component !== undefined)
      throw invalidFhir('Observation.component', `${type} has no components`);
    candidate = {
      ...base,
      type,
      value: valueOf(resource.valueQuantity, type, 'Observation.valueQuantity'),
      unit,
    };
  }
  try {
    const reading = parseValue(readingSchema, candidate, 'reading');
    classifyReading(reading, now);
    return { ...reading, observedAt: new Date(reading.observedAt).toISOString() };
  } catch (err) {
    if (!(err instanceof ChaincodeError)) throw err;
    const field = /^reading\.(\w+)/.exec(err.detail)?.[1] ?? '';
    throw invalidFhir(fhirPathOf[field] ?? 'Observation', err.detail.replace(/^reading\.\w+: /, ''));
  }
}

/** Where each field of a reading is in its Observation, for error messages. */
const fhirPathOf: Readonly<Record<string, string>> = {
  readingId: 'Observation.identifier',
  patientId: 'Observation.subject',
  deviceId: 'Observation.device',
  observedAt: 'Observation.effectiveDateTime',
  value: 'Observation.valueQuantity.value',
  unit: 'Observation.valueQuantity.code',
  systolic: `Observation.component.where(code.coding.code = '${vitalDefinitions.bloodPressure.systolic.loinc}').valueQuantity.value`,
  diastolic: `Observation.component.where(code.coding.code = '${vitalDefinitions.bloodPressure.diastolic.loinc}').valueQuantity.value`,
};
