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

/** Where Observations come from: vital signs (`Vitals:query`) or lab results (`LabResults:query`). */
export type ObservationSource = 'vitals' | 'lab';
const sourceOrder: readonly ObservationSource[] = ['vitals', 'lab'];

/** Where a search goes on: a source and the ledger's bookmark in it ('' = its first page). */
export interface ObservationCursor {
  readonly source: ObservationSource;
  readonly bookmark: string;
}

/** The `_cursor` of a next link: `<source>:<bookmark>`. */
export const formatCursor = (c: ObservationCursor) => `${c.source}:${c.bookmark}`;

/**
 * An Observation search as the ledger can answer it: one patient's readings and lab results,
 * one source after the other (vital signs first), each in the ledger's order.
 */
export interface ObservationSearch {
  readonly ref: PatientRef;
  /** The sources the category and code parameters leave, in the order they are read. */
  readonly sources: readonly ObservationSource[];
  /** The vital types asked for; undefined: all. */
  readonly types?: ReadonlySet<VitalType>;
  /** The LOINC codes of lab results asked for; undefined: all. */
  readonly labCodes?: ReadonlySet<string>;
  readonly range: TimeRange;
  /** The parameters exclude every record (the ledger is still asked, so that it decides access). */
  readonly matchesNothing: boolean;
  readonly count: number;
  /** The page asked for (a next link's); undefined: the first. */
  readonly cursor?: ObservationCursor;
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

/** The LOINC codes a `code` value names (any of them); undefined: any code (`http://loinc.org|`). */
function loincCodesOf(value: string): Set<string> | undefined {
  const codes = new Set<string>();
  for (const t of value.split(',').map(token)) {
    if (t.system !== undefined && t.system !== fhirSystem.loinc) continue;
    if (t.code === undefined) return undefined;
    codes.add(t.code);
  }
  return codes;
}

const categoryOf: Readonly<Record<string, ObservationSource>> = {
  'vital-signs': 'vitals',
  laboratory: 'lab',
};
/** The sources a `category` value names (any of them). */
const sourcesOfCategory = (value: string): Set<ObservationSource> =>
  new Set(
    value
      .split(',')
      .map(token)
      .filter((t) => t.system === undefined || t.system === fhirSystem.observationCategory)
      .map((t) => categoryOf[t.code ?? ''])
      .filter((s) => s !== undefined),
  );

function cursorOf(
  value: string | undefined,
  sources: readonly ObservationSource[],
): ObservationCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(vitals|lab):(.*)$/.exec(value);
  const source = match?.[1] as ObservationSource | undefined;
  if (source === undefined || !sources.includes(source))
    throw invalidFhir('_cursor', 'not a cursor of this search: take it from a next link as it is');
  return { source, bookmark: match?.[2] ?? '' };
}

const earliest = Date.UTC(plausibleYears.from, 0, 1);
const latest = Date.UTC(plausibleYears.to + 1, 0, 1) - 1;

/**
 * An Observation search from its query parameters: `patient` (required: `Patient/<id>` or
 * `<id>`; an id of one part is the caller's own hospital's patient), `category` (`vital-signs`,
 * `laboratory`; none: both), `code` (`system|code`; comma = any of them, repeated = all of them;
 * a vital sign's LOINC code selects readings, any LOINC code lab results), `date`
 * (date-search.ts), `_count` (1–200, more is cut to 200), `_sort` (`date` only, and only for
 * vital signs: the ledger keeps a patient's readings in time order, lab results by lab and id),
 * `_cursor` (the next page's, from a `next` link).
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

  let categories = new Set(sourceOrder);
  for (const value of valuesOf(query, 'category')) {
    const named = sourcesOfCategory(value);
    categories = new Set([...categories].filter((c) => named.has(c)));
  }
  let types: Set<VitalType> | undefined;
  let labCodes: Set<string> | undefined;
  for (const value of valuesOf(query, 'code')) {
    const named = typesOfCode(value);
    types = types === undefined ? named : new Set([...types].filter((t) => named.has(t)));
    const codes = loincCodesOf(value);
    if (codes !== undefined)
      labCodes = labCodes === undefined ? codes : new Set([...labCodes].filter((c) => codes.has(c)));
  }
  if (types?.size === vitalTypes.length) types = undefined;
  const sources = sourceOrder.filter((source) =>
    !categories.has(source) ? false : source === 'vitals' ? types?.size !== 0 : labCodes?.size !== 0,
  );
  let matchesNothing = sources.length === 0;
  if (sort !== undefined && sources.includes('lab'))
    throw invalidFhir(
      '_sort',
      'lab results are kept by lab and result id, not by time: search them (category=laboratory, or no category) without _sort',
    );

  const asked = dateSearchRange(valuesOf(query, 'date'));
  const range = {
    from: Math.max(asked.from ?? earliest, earliest),
    to: Math.min(asked.to ?? latest, latest),
  };
  if (range.from >= range.to) matchesNothing = true;
  const cursor = cursorOf(single(query, '_cursor'), sources);
  return {
    ref,
    sources,
    ...(types === undefined ? {} : { types }),
    ...(labCodes === undefined ? {} : { labCodes }),
    range: {
      ...(asked.from === undefined ? {} : { from: range.from }),
      ...(asked.to === undefined ? {} : { to: range.to }),
    },
    matchesNothing,
    count,
    ...(cursor === undefined ? {} : { cursor }),
  };
}
