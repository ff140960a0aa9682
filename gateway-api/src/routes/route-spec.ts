import type { Page, TransactionName } from '@careledger/contract';
import type { IntakeRequest } from '../intake/submission';
import type { z } from 'zod';
import type { CareLedger, LedgerAnswer } from '../ledger/care-ledger';
import type { CallOptions } from '../ledger/ledger-client';

/** A request's validated parts. */
export interface RouteInput<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

type Empty = z.ZodObject<Record<string, never>>;

/**
 * One REST endpoint as data: how it looks over HTTP (method, path, schemas, status) and which
 * facade call it makes. The router and the OpenAPI document are both built from these specs,
 * so they cannot drift; a test checks that `invoke` runs exactly `transaction`.
 */
export interface RouteDef<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  G extends boolean,
> {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Koa path under /api/v1, e.g. `/patients/:patientId`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** The transaction `invoke` runs: the catalogue's flags (submit, endorseByCustodian) apply. */
  readonly transaction: TransactionName;
  /**
   * The OpenAPI operationId; default: the transaction's name (`Vitals_query`). Needed by a second
   * route over the same transaction: operation ids are unique.
   */
  readonly operationId?: string;
  /**
   * The schema of a success's `data` (of one record of a page when `paged`): the OpenAPI
   * document's response schema; `invoke` must answer that type.
   */
  readonly response: R;
  readonly invoke: (
    ledger: CareLedger,
    input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>,
    options: CallOptions,
  ) => Promise<LedgerAnswer<G extends true ? Page<z.output<R>> : z.output<R>>>;
  /** Status of a success; 201 for creations. */
  readonly status?: 200 | 201;
  /** Idempotent creation: a replay (same id, same content) answers 200 with the stored record and writes nothing. */
  readonly replayAnswers200?: true;
  /**
   * Readings taken by the durable intake when the client asks `Prefer: respond-async`: answered
   * 202 once on the gateway's disk, committed later (see intake/reading-intake.ts).
   */
  readonly intake?: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => IntakeRequest;
  /**
   * `batched`: the write shares transactions with others and is admitted by its batcher (which
   * refuses what waits too long), not by the gateway's per-request limit, whose Little's-law
   * bound would keep batches small and so the ledger's throughput low.
   */
  readonly admission?: 'batched';
  /** The result is a page: answer `{data: records, page: {bookmark, count}}`. */
  readonly paged?: G;
}

/** A route with its types erased, as the router and the OpenAPI builder see it. */
export type RouteSpec = RouteDef<z.ZodType, z.ZodType, z.ZodType, z.ZodType, boolean>;

/** Define a route; `invoke` sees the types of the route's own schemas. */
export function defineRoute<
  P extends z.ZodType = Empty,
  Q extends z.ZodType = Empty,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
  G extends boolean = false,
>(def: RouteDef<P, Q, B, R, G>): RouteSpec {
  return def;
}
