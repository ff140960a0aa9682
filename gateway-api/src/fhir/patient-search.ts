import type { PatientRef } from '@careledger/contract';
import { invalidFhir, patientOfFhirId } from './observation-reading';
import { defaultCount, maxCount } from './observation-search';

/** The parameters of a search of one patient's records, as the ledger pages them. */
export const patientSearchParams = ['patient', '_count', '_cursor', '_format'];

/** A search of one patient's records: the patient, the page size and the ledger's bookmark. */
export interface PatientSearch {
  readonly ref: PatientRef;
  readonly count: number;
  readonly cursor?: string;
}

type Query = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A search of a patient's MedicationRequests, Consents or AuditEvents from its query:
 * `patient` (required, as for Observation), `_count` (1–200, default 50, more is cut to 200) and
 * `_cursor` (the ledger's bookmark, from a next link); any other parameter is refused.
 * @throws ApiError INVALID_ARGUMENT naming the parameter.
 */
export function parsePatientSearch(query: Query, resourceType: string, callerMspId: string): PatientSearch {
  for (const [name, value] of Object.entries(query)) {
    if (!patientSearchParams.includes(name))
      throw invalidFhir(
        name,
        `is not a supported search parameter of ${resourceType} (${patientSearchParams.join(', ')})`,
      );
    if (Array.isArray(value)) throw invalidFhir(name, 'may be given once');
  }
  const patient = query.patient as string | undefined;
  if (patient === undefined)
    throw invalidFhir('patient', "is required: the ledger answers one patient's records");
  const ref = patientOfFhirId(patient.replace(/^Patient\//, ''), callerMspId);
  if (ref === undefined) throw invalidFhir('patient', `'${patient}' is not a CareLedger Patient id`);
  const format = query._format as string | undefined;
  if (format !== undefined && !['json', 'application/json', 'application/fhir+json'].includes(format))
    throw invalidFhir('_format', 'only JSON is served');
  const countText = query._count as string | undefined;
  let count = defaultCount;
  if (countText !== undefined) {
    count = Number(countText);
    if (!/^\d+$/.test(countText) || count < 1) throw invalidFhir('_count', 'must be a whole number from 1');
    count = Math.min(count, maxCount);
  }
  const cursor = query._cursor as string | undefined;
  return { ref, count, ...(cursor === undefined || cursor === '' ? {} : { cursor }) };
}
