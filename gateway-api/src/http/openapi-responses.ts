import { transactionCatalog } from '@careledger/contract';
import { z } from 'zod';
import { errorCatalog, type ErrorCode } from '../errors/error-catalog';
import type { RouteSpec } from '../routes/route-spec';

/**
 * The responses of every operation, each status with its schema. The envelopes are the ones the
 * router writes (routes/ledger-router.ts `respond`): `{data}` for a read, `{data, meta}` for a
 * write, `{data, page}` for a page, `{meta}` for an accepted asynchronous write, `{error}` for an
 * error whose code is one of that status's codes in the error catalogue.
 */
const blockNumber = z.string().regex(/^\d+$/).meta({ description: 'Decimal, as it may exceed 2^53' });
const transactionId = z.string().regex(/^[0-9a-f]{64}$/);

export const writeMeta = z.strictObject({ transactionId, blockNumber: blockNumber.optional() });
/** The access request another organisation's read submitted first (absent for the custodian's own reads). */
export const accessMeta = z
  .strictObject({ transactionId, blockNumber: blockNumber.optional() })
  .meta({ description: "The access request this read submitted first (another organisation's read)" });
export const pageInfo = z.strictObject({
  bookmark: z
    .string()
    .meta({ description: "Opaque; pass it as `bookmark` for the next page; '' after the last" }),
  count: z.number().int().min(0).meta({ description: 'Records on this page' }),
});
/** `Prefer: respond-async` on a write without the durable intake: submitted, commit not awaited. */
export const pendingMeta = () =>
  z.strictObject({
    meta: z.strictObject({ transactionId, status: z.literal('pending'), statusUrl: z.string() }),
  });
/** `Prefer: respond-async` on a reading route: on the gateway's disk, committed later. */
export const queuedMeta = () =>
  z.strictObject({
    meta: z.strictObject({
      submissionId: z.uuid(),
      status: z.enum(['queued', 'committed', 'refused']),
      statusUrl: z.string(),
    }),
  });

export const transactionStatusRecord = z.strictObject({
  transactionId,
  committed: z.boolean(),
  valid: z.boolean().optional(),
  code: z.number().int().optional().meta({ description: "Fabric's TxValidationCode (0 = VALID)" }),
  blockNumber: blockNumber.optional(),
  status: z.enum(['pending', 'committed', 'invalid']),
});

export const submissionRecord = z.strictObject({
  submissionId: z.uuid(),
  status: z.enum(['queued', 'committed', 'refused']),
  acceptedAt: z.iso.datetime({ offset: true }),
  readings: z.array(z.strictObject({ readingId: z.string(), patientId: z.string() })),
  attempts: z.number().int().min(0),
  custodianMspId: z.string().optional(),
  transactionId: transactionId.optional(),
  blockNumber: blockNumber.optional(),
  replayed: z.boolean().optional(),
  settledAt: z.iso.datetime({ offset: true }).optional(),
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});

/** One response of an operation: its schema, or none for a body that is not JSON. */
export interface DocumentedResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, { description: string }>>;
}

const location = { Location: { description: 'The status URL' } };
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before resending' } };

/** Codes of the catalogue answered with `status`. */
export function codesOf(status: number): ErrorCode[] {
  return (Object.keys(errorCatalog) as ErrorCode[]).filter((c) => errorCatalog[c].status === status);
}

/** The statuses an endpoint may answer besides its successes. */
export function errorStatuses(opts: { writes: boolean; takesBody: boolean; names: boolean }): number[] {
  return [
    400,
    401,
    403,
    ...(opts.names ? [404] : []),
    ...(opts.writes ? [409] : []),
    ...(opts.takesBody ? [413, 415] : []),
    500,
    503,
    ...(opts.writes ? [504] : []),
  ];
}

const errorResponses = new Map<number, DocumentedResponse>();

/** The response of an error status (one object per status, so the document names it once). */
export function errorResponse(status: number): DocumentedResponse {
  const known = errorResponses.get(status);
  if (known) return known;
  const codes = codesOf(status);
  const response: DocumentedResponse = {
    description: codes.map((c) => `\`${c}\`: ${errorCatalog[c].description}`).join(' '),
    schema: z.strictObject({
      error: z.strictObject({
        code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
        message: z.string(),
        details: z.unknown().optional(),
      }),
    }),
    ...(status === 503 ? { headers: retryAfter } : {}),
  };
  errorResponses.set(status, response);
  return response;
}

/** Every response of a route, by status. */
export function routeResponses(spec: RouteSpec): Record<string, DocumentedResponse> {
  const writes = spec.method !== 'get' && transactionCatalog[spec.transaction].submit;
  // A fresh schema per status: the document builder names each by its operation and status.
  // Another organisation's read of a patient's data first submits its access request (the
  // facade's loggedRead): the answer then names that transaction in `meta`.
  const logged = !writes && 'accessScope' in transactionCatalog[spec.transaction];
  const readMeta = logged ? { meta: accessMeta.optional() } : {};
  const success = () =>
    spec.paged
      ? z.strictObject({ data: z.array(spec.response), page: pageInfo, ...readMeta })
      : writes
        ? z.strictObject({ data: spec.response, meta: writeMeta })
        : z.strictObject({ data: spec.response, ...readMeta });
  const out: Record<string, DocumentedResponse> = {
    [spec.status ?? 200]: { description: 'Success', schema: success() },
  };
  if (spec.replayAnswers200) {
    // No transaction of its own, so no `meta`.
    const replay = spec.paged ? success() : z.strictObject({ data: spec.response });
    out[200] = { description: 'A replay: the record as stored; nothing was written', schema: replay };
  }
  if (writes) {
    out[202] = spec.intake
      ? {
          description:
            "With `Prefer: respond-async`: on the gateway's disk, to be committed (without the intake: submitted, not awaited)",
          schema: z.union([queuedMeta(), pendingMeta()]),
          headers: location,
        }
      : {
          description: 'With `Prefer: respond-async`: submitted, its commit not awaited',
          schema: pendingMeta(),
          headers: location,
        };
  }
  // 404 where the request names something: a path id, a record in the body, a custodian.
  const names =
    spec.params !== undefined ||
    spec.body !== undefined ||
    (spec.query instanceof z.ZodObject && 'custodian' in spec.query.shape);
  const takesBody = spec.method === 'post' || spec.method === 'put';
  for (const status of errorStatuses({ writes, takesBody, names })) {
    out[status] = errorResponse(status);
  }
  return out;
}
