import type { LabResult, PatientRef, VitalSign } from '@careledger/contract';
import type { Observation, OperationOutcome } from '@medplum/fhirtypes';
import { ApiError } from '../errors/error-catalog';
import type { CareLedger } from '../ledger/care-ledger';
import type { CallOptions } from '../ledger/ledger-client';
import { decodeFhirId } from './fhir-id';
import { labObservationOf } from './lab-observation';
import { formatCursor, maxCount, type ObservationSearch, type ObservationSource } from './observation-search';
import { operationOutcomeOf } from './operation-outcome';
import { observationOf } from './vital-observation';

/** One page of an Observation search. */
export interface ObservationPage {
  readonly observations: Observation[];
  /** The `_cursor` of the next page; undefined after the last. */
  readonly next?: string;
  /** A source the ledger refused while another answered (a warning in the searchset). */
  readonly outcomes: OperationOutcome[];
}

/** Observations from the ledger's vital signs and lab results, read as the caller. */
export interface ObservationReader {
  /**
   * `Observation/<custodian>.<patient>.<reading>` (`Vitals:get`) or
   * `Observation/<custodian>.<patient>.<lab>.<result>` (`LabResults:query`, page by page, until
   * the result is found: the ledger reads lab results only as a list).
   * @throws ApiError NOT_FOUND for an id this interface did not write, or the ledger's refusal.
   */
  read(options: CallOptions, id: string): Promise<Observation>;
  /**
   * A page of a search: the sources one after the other (vital signs, then lab results). When
   * the search asks both and the ledger refuses one (403), the other is answered with the
   * refusal as an outcome; when it refuses every one, its first refusal is thrown.
   */
  search(options: CallOptions, search: ObservationSearch): Promise<ObservationPage>;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function newObservationReader(careLedger: CareLedger): ObservationReader {
  const inRange = (search: ObservationSearch, at: string) => {
    const t = Date.parse(at);
    return (
      (search.range.from === undefined || t >= search.range.from) &&
      (search.range.to === undefined || t < search.range.to)
    );
  };
  const readVitals = async (o: CallOptions, search: ObservationSearch, bookmark: string) => {
    const onlyType = search.types?.size === 1 ? [...search.types][0] : undefined;
    // A search that matches nothing still asks the ledger (one key of 1970), so that the
    // ledger decides whether the caller may read this patient's vitals at all.
    const query = search.matchesNothing
      ? { to: '1970-01-01T00:00:00.001Z', pageSize: 1 }
      : {
          ...(search.range.from === undefined ? {} : { from: iso(search.range.from) }),
          ...(search.range.to === undefined ? {} : { to: iso(search.range.to) }),
          ...(onlyType === undefined ? {} : { type: onlyType }),
          pageSize: search.count,
          ...(bookmark === '' ? {} : { bookmark }),
        };
    const page = (await careLedger.vitals.query(o, { ...search.ref, ...query })).value;
    const records: VitalSign[] = search.matchesNothing
      ? []
      : page.records.filter((v) => search.types === undefined || search.types.has(v.type));
    return { observations: records.map(observationOf), bookmark: search.matchesNothing ? '' : page.bookmark };
  };
  const readLab = async (o: CallOptions, search: ObservationSearch, bookmark: string) => {
    const page = (
      await careLedger.labResults.query(o, search.ref, {
        pageSize: search.count,
        ...(bookmark === '' ? {} : { bookmark }),
      })
    ).value;
    const records = page.records.filter(
      (r) => (search.labCodes === undefined || search.labCodes.has(r.loinc)) && inRange(search, r.observedAt),
    );
    return { observations: records.map(labObservationOf), bookmark: page.bookmark };
  };
  const readSource = (source: ObservationSource) => (source === 'vitals' ? readVitals : readLab);

  return {
    read: async (o, id) => {
      const parts = decodeFhirId(id);
      if (parts?.length === 3) {
        const [custodianMspId, patientId, readingId] = parts as [string, string, string];
        const answer = await careLedger.vitals.get(o, { custodianMspId, patientId }, readingId);
        return observationOf(answer.value);
      }
      if (parts?.length === 4) {
        const [custodianMspId, patientId, labMspId, resultId] = parts as [string, string, string, string];
        const found = await findLabResult(careLedger, o, { custodianMspId, patientId }, labMspId, resultId);
        if (found !== undefined) return labObservationOf(found);
      }
      throw new ApiError('NOT_FOUND', `no Observation ${id}`);
    },
    search: async (o, search) => {
      if (search.matchesNothing || search.sources.length === 0) {
        await readVitals(o, { ...search, matchesNothing: true }, '');
        return { observations: [], outcomes: [] };
      }
      const start = search.cursor === undefined ? 0 : search.sources.indexOf(search.cursor.source);
      const refused: ApiError[] = [];
      for (let i = start; i < search.sources.length; i++) {
        const source = search.sources[i] as ObservationSource;
        let page: { observations: Observation[]; bookmark: string };
        try {
          page = await readSource(source)(o, search, i === start ? (search.cursor?.bookmark ?? '') : '');
        } catch (err) {
          if (search.sources.length > 1 && err instanceof ApiError && err.status === 403) {
            refused.push(err);
            continue;
          }
          throw err;
        }
        const following = search.sources[i + 1];
        const next =
          page.bookmark !== ''
            ? formatCursor({ source, bookmark: page.bookmark })
            : following === undefined
              ? undefined
              : formatCursor({ source: following, bookmark: '' });
        return {
          observations: page.observations,
          ...(next === undefined ? {} : { next }),
          outcomes: refused.map(warning),
        };
      }
      if (start === 0 && refused[0] !== undefined) throw refused[0];
      return { observations: [], outcomes: refused.map(warning) };
    },
  };
}

/** A refusal of one source of a search, as the searchset's warning. */
function warning(err: ApiError): OperationOutcome {
  const outcome = operationOutcomeOf(err);
  return { ...outcome, issue: outcome.issue.map((i) => ({ ...i, severity: 'warning' })) };
}

async function findLabResult(
  careLedger: CareLedger,
  o: CallOptions,
  ref: PatientRef,
  labMspId: string,
  resultId: string,
): Promise<LabResult | undefined> {
  let bookmark = '';
  do {
    const page = (
      await careLedger.labResults.query(o, ref, {
        pageSize: maxCount,
        ...(bookmark === '' ? {} : { bookmark }),
      })
    ).value;
    const found = page.records.find((r) => r.labMspId === labMspId && r.resultId === resultId);
    if (found !== undefined) return found;
    bookmark = page.bookmark;
  } while (bookmark !== '');
  return undefined;
}
