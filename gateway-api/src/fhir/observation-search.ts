import { plausibleYears, vitalTypes, type PatientRef, type VitalType } from '@careledger/contract';
import { dateSearchRange, type TimeRange } from './date-search';
import { fhirSystem } from './fhir-terms';
import { invalidFhir, patientOfFhirId, vitalTypeOfLoinc } from './observation-reading';

/** The search parameters of Observation this interface takes; any other is refused (400). */
export const observationSearchParams = [
  'patient',
  'category',
  'code',
  'date',
  '_count',
  '_sort',
  '_cursor',
  '_format',
];

/** `_count` when none is given, and at most (the ledger's page size). */
export const defaultCount = 50;
export const maxCount = 200;

/** An Observation search as the ledger can answer it: one patient's readings in a time range. */
export interface ObservationSearch {
  readonly ref: PatientRef;
  /** The types asked for; undefined: all. */
  readonly types?: ReadonlySet<VitalType>;
  readonly range: TimeRange;
  /** The parameters exclude every reading (the ledger is still asked, so that it decides access). */
  readonly matchesNothing: boolean;
  readonly count: number;
  /** The ledger's bookmark of the page asked for. */
  readonly cursor?: string;
}

type Query = Readonly<Record<string, string | string[] | undefined>>;
const valuesOf = (query: Query, name: string): string[] => {
  const v = query[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
const single = (query: Query, name: string): string | undefined => {
  const values = valuesOf(query, name);
  if (values.length > 1) throw invalidFhir(name, 'may be given once');
  return values[0];
};

/** A token `system|code`, `code` (any system), `|code` (no system) or `system|` (any code). */
function token(value: string): { system?: string | null; code?: string } {
  const bar = value.indexOf('|');
  if (bar < 0) return { code: value };
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  return { system: system === '' ? null : system, ...(code === '' ? {} : { code }) };
}

/** The types a `code` parameter value (a comma list: any of them) names. */
function typesOfCode(value: string): Set<VitalType> {
  const types = new Set<VitalType>();
  for (const t of value.split(',').map(token)) {
    if (t.system !== undefined && t.system !== fhirSystem.loinc) continue;
    if (t.code === undefined) vitalTypes.forEach((v) => types.add(v));
    else {
      const type = vitalTypeOfLoinc(t.code);
      if (type !== undefined) types.add(type);
    }
  }
  return types;
}

const isVitalSignsCategory = (value: string) =>
  value
    .split(',')
    .map(token)
    .some(
      (t) =>
        t.code === 'vital-signs' && (t.system === undefined || t.system === fhirSystem.observationCategory),
    );

const earliest = Date.UTC(plausibleYears.from, 0, 1);
const latest = Date.UTC(plausibleYears.to + 1, 0, 1) - 1;

/**
 * An Observation search from its query parameters: `patient` (required: `Patient/<id>` or
 * `<id>`; an id of one part is the caller's own hospital's patient), `category`, `code`
 * (`system|code`; comma = any of them, repeated = all of them), `date` (date-search.ts), `_count`
 * (1–200, more is cut to 200), `_sort` (`date` only: the ledger keeps a patient's readings in
 * time order), `_cursor` (the next page's, from a `next` link).
 * @throws ApiError INVALID_ARGUMENT naming the parameter.
 */
export function parseObservationSearch(query: Query, callerMspId: string): ObservationSearch {
  for (const name of Object.keys(query)) {
    if (!observationSearchParams.includes(name))
      throw invalidFhir(
        name,
        `is not a supported search parameter of Observation (${observationSearchParams.join(', ')})`,
      );
  }
  const patient = single(query, 'patient');
  if (patient === undefined)
    throw invalidFhir('patient', "is required: the ledger answers one patient's readings");
  const ref = patientOfFhirId(patient.replace(/^Patient\//, ''), callerMspId);
  if (ref === undefined) throw invalidFhir('patient', `'${patient}' is not a CareLedger Patient id`);

  const format = single(query, '_format');
  if (format !== undefined && !['json', 'application/json', 'application/fhir+json'].includes(format))
    throw invalidFhir('_format', 'only JSON is served');
  const sort = single(query, '_sort');
  if (sort !== undefined && sort !== 'date')
    throw invalidFhir('_sort', "only 'date' (oldest first, the ledger's order) is supported");
  const countText = single(query, '_count');
  let count = defaultCount;
  if (countText !== undefined) {
    count = Number(countText);
    if (!/^\d+$/.test(countText) || count < 1) throw invalidFhir('_count', 'must be a whole number from 1');
    count = Math.min(count, maxCount);
  }

  let matchesNothing = !valuesOf(query, 'category').every(isVitalSignsCategory);
  let types: Set<VitalType> | undefined;
  for (const value of valuesOf(query, 'code')) {
    const named = typesOfCode(value);
    types = types === undefined ? named : new Set([...types].filter((t) => named.has(t)));
  }
  if (types?.size === 0) matchesNothing = true;
  if (types?.size === vitalTypes.length) types = undefined;

  const asked = dateSearchRange(valuesOf(query, 'date'));
  const range = {
    from: Math.max(asked.from ?? earliest, earliest),
    to: Math.min(asked.to ?? latest, latest),
  };
  if (range.from >= range.to) matchesNothing = true;
  const cursor = single(query, '_cursor');
  return {
    ref,
    ...(types === undefined ? {} : { types }),
    range: {
      ...(asked.from === undefined ? {} : { from: range.from }),
      ...(asked.to === undefined ? {} : { to: range.to }),
    },
    matchesNothing,
    count,
    ...(cursor === undefined || cursor === '' ? {} : { cursor }),
  };
}
