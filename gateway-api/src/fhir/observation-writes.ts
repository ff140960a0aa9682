import { STATUS_CODES } from 'node:http';
import type { ReadingInput, RecordResult } from '@careledger/contract';
import type { Bundle, BundleEntry, Observation } from '@medplum/fhirtypes';
import { ApiError } from '../errors/error-catalog';
import type { AdmissionLimit } from '../http/admission-limit';
import type { CareLedger, LedgerAnswer } from '../ledger/care-ledger';
import type { CallOptions } from '../ledger/ledger-client';
import { invalidFhir, readingOf } from './observation-reading';
import { operationOutcomeOf } from './operation-outcome';
import { observationId, observationOf } from './vital-observation';

/** Entries of a transaction or batch Bundle at most (a transaction is one `Vitals:recordBatch`). */
export const maxBundleEntries = 50;

const statusLine = (status: number) => `${status} ${STATUS_CODES[status] ?? ''}`.trim();

/** The answer of one recorded reading: 201, or 200 for a resend of a stored one. */
export interface RecordedObservation {
  readonly status: 200 | 201;
  readonly observation: Observation;
  /** `Observation/<id>`, when the reading has a FHIR id. */
  readonly location?: string;
}

function recorded(result: RecordResult, replayed: boolean): RecordedObservation {
  const observation = observationOf(result.reading);
  const id = observationId(result.reading);
  return {
    status: replayed || result.replayed ? 200 : 201,
    observation,
    ...(id === undefined ? {} : { location: `Observation/${id}` }),
  };
}

/** An error of an entry, named at its place in the Bundle. */
function atEntry(err: unknown, i: number): unknown {
  if (!(err instanceof ApiError)) return err;
  const at = `Bundle.entry[${i}].resource`;
  const expression = (err.details as { expression?: string } | undefined)?.expression;
  return new ApiError(err.code, err.message.replace(/^Observation/, at), {
    details: { expression: expression === undefined ? at : expression.replace(/^Observation/, at) },
    cause: err,
  });
}

/** Records Observations through `Vitals:record` / `Vitals:recordBatch` as the caller. */
export interface ObservationWriter {
  /** POST Observation: one `Vitals:record`; idempotent by the reading id. */
  create(options: CallOptions, resource: unknown): Promise<RecordedObservation>;
  /**
   * POST a Bundle: `transaction` is one `Vitals:recordBatch` (all or none), `batch` one
   * `Vitals:record` per entry (each entry answered on its own, errors as OperationOutcome).
   */
  bundle(options: CallOptions, resource: unknown): Promise<Bundle>;
}

export function newObservationWriter(deps: {
  readonly careLedger: CareLedger;
  readonly writes?: AdmissionLimit;
}): ObservationWriter {
  const admit = <T>(work: () => Promise<T>) => (deps.writes === undefined ? work() : deps.writes.run(work));
  const record = async (o: CallOptions, reading: ReadingInput) => {
    const answer = await admit(() => deps.careLedger.vitals.record(o, reading));
    return recorded(answer.value, answer.alreadyOnLedger === true);
  };
  const entryOf = (r: RecordedObservation): BundleEntry => ({
    resource: r.observation,
    response: { status: statusLine(r.status), ...(r.location === undefined ? {} : { location: r.location }) },
  });

  return {
    create: (o, resource) => record(o, readingOf(resource, o.mspId)),
    bundle: async (o, resource) => {
      const bundle = resource as Partial<Bundle> | null;
      if (bundle?.resourceType !== 'Bundle') throw invalidFhir('Bundle', 'a Bundle resource is required');
      if (bundle.type !== 'transaction' && bundle.type !== 'batch')
        throw invalidFhir('Bundle.type', "'transaction' or 'batch' is taken");
      const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
      if (entries.length < 1 || entries.length > maxBundleEntries)
        throw invalidFhir('Bundle.entry', `1 to ${maxBundleEntries} entries are taken`);
      const parse = (entry: BundleEntry, i: number): ReadingInput => {
        const request = entry.request;
        if (request?.method !== 'POST' || !/(^|\/)Observation$/.test(request.url))
          throw invalidFhir(`Bundle.entry[${i}].request`, 'each entry is a POST of an Observation');
        try {
          return readingOf(entry.resource, o.mspId);
        } catch (err) {
          throw atEntry(err, i);
        }
      };
      if (bundle.type === 'transaction') {
        const readings = entries.map(parse);
        const answer: LedgerAnswer<RecordResult[]> = await admit(() =>
          deps.careLedger.vitals.recordBatch(o, readings),
        );
        return {
          resourceType: 'Bundle',
          type: 'transaction-response',
          entry: answer.value.map((r) => entryOf(recorded(r, answer.alreadyOnLedger === true))),
        };
      }
      const answers = await Promise.all(
        entries.map(async (entry, i): Promise<BundleEntry> => {
          try {
            return entryOf(await record(o, parse(entry, i)));
          } catch (err) {
            const error =
              err instanceof ApiError ? err : new ApiError('INTERNAL', 'internal error', { cause: err });
            return { response: { status: statusLine(error.status), outcome: operationOutcomeOf(error) } };
          }
        }),
      );
      return { resourceType: 'Bundle', type: 'batch-response', entry: answers };
    },
  };
}
