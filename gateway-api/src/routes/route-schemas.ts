import { bookmarkSchema, idSchema, mspIdSchema, type PatientRef } from '@careledger/contract';
import { z } from 'zod';
import type { CallOptions } from '../ledger/ledger-client';

/** `?pageSize&bookmark` of every list. */
export const pageQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
  bookmark: bookmarkSchema.optional(),
});

/**
 * `?custodian` of every read of a patient's data: the MSP ID of the hospital that holds the
 * patient (patient ids are each hospital's own). Default: the caller's own organisation.
 */
export const custodianQuery = z.strictObject({ custodian: mspIdSchema.optional() });

export const patientParams = z.strictObject({ patientId: idSchema });

/** The transaction of a status URL (`/transactions/{transactionId}`). */
export const transactionParams = z.strictObject({
  transactionId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a transaction id (64 hex digits)'),
});

/** The submission of a status URL (`/submissions/{submissionId}`). */
export const submissionParams = z.strictObject({ submissionId: z.uuid('must be a submission id (a UUID)') });

/** The patient a read names: its id in the path, its custodian in `?custodian` or the caller's own. */
export function patientRef(
  input: { params: { patientId: string }; query: { custodian?: string } },
  options: CallOptions,
): PatientRef {
  return { custodianMspId: input.query.custodian ?? options.mspId, patientId: input.params.patientId };
}
