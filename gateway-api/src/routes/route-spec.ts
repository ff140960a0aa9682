import type { TransactionName } from '@careledger/chaincode';
import type { z } from 'zod';

export interface RouteInput {
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
}

/**
 * One REST endpoint as data: how it looks over HTTP (method, path, schemas, status) and which
 * transaction it runs with which arguments. The router and the OpenAPI document are both
 * built from these specs, so they cannot drift.
 */
export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Koa path under /api/v1, e.g. `/patients/:patientId`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly transaction: TransactionName;
  readonly args: (input: RouteInput) => string[];
  /** Private inputs, sent as transient data (never in the transaction, never logged). */
  readonly transient?: (input: RouteInput) => Record<string, string>;
  /** Status of a success; 201 for creations. */
  readonly status?: 200 | 201;
  /** The result is a page: answer `{data: records, page: {bookmark, count}}`. */
  readonly paged?: boolean;
  /** Endorse on the custodian's peer (it alone holds the patient's private data). */
  readonly custodianPatientParam?: string;
}
