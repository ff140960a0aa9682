import fc from 'fast-check';
import {
  checkResponse,
  type ReceivedResponse,
  type SentRequest,
  type Violation,
} from './openapi-conformance';
import { operationsOf, type OpenApiDocument, type OperationRef } from './openapi-document';
import { requestArbitrary, type GeneratedRequest, type RequestSeeds } from './openapi-requests';
import { newOpenApiValidator } from './openapi-validator';

export interface ConformanceRunOptions {
  /** The document requests are built from and responses checked against. */
  readonly doc: OpenApiDocument;
  /** Where the API listens, e.g. `http://127.0.0.1:3000`; the document's paths are appended. */
  readonly baseUrl: string;
  readonly seeds: RequestSeeds;
  /** fast-check's seed; operation i runs with `seed + i`. */
  readonly seed: number;
  /** Requests per operation that writes; a GET (cheap, and where most answers differ by caller) gets twice as many. */
  readonly numRuns: number;
  /** Operations run at the same time, each sending its requests one after another (default 4). */
  readonly concurrency?: number;
  /** Which operations to run (default all). */
  readonly include?: (op: OperationRef) => boolean;
  /**
   * Operations run only once all others are done: those that take access away (a consent
   * revoked, an organisation's type changed) and would leave the rest with refusals.
   */
  readonly last?: (op: OperationRef) => boolean;
  /** How long one answer may take (default 15 s). */
  readonly timeoutMs?: number;
}

/** A request and its answer. */
export interface Exchange {
  readonly operation: string;
  readonly request: SentRequest;
  readonly response: ReceivedResponse;
  /** The answer's `error.code`, when it has one. */
  readonly code: string | undefined;
}

export interface ConformanceReport {
  readonly violations: readonly Violation[];
  /** How often each status was answered, by operation label. */
  readonly statuses: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The first exchange of each operation, status and error code (`{error: {code}}`, if any). */
  readonly examples: readonly Exchange[];
  readonly requests: number;
}

/**
 * Sends `request` and reads the answer: JSON parsed, an event stream left unread (its headers
 * are the answer).
 * @throws Error when no answer comes within `timeoutMs` or the connection fails.
 */
export async function sendRequest(
  baseUrl: string,
  request: SentRequest,
  timeoutMs = 15_000,
): Promise<ReceivedResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const res = await fetch(`${baseUrl}${request.url}`, {
      method: request.method.toUpperCase(),
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      redirect: 'manual',
      signal: controller.signal,
    });
    const headers = Object.fromEntries(res.headers);
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const base = { status: res.status, mediaType, headers };
    if (mediaType === 'text/event-stream') {
      await res.body?.cancel();
      return { ...base, hasBody: true, body: undefined };
    }
    const text = await res.text();
    if (text === '') return { ...base, hasBody: false, body: undefined };
    if (mediaType !== 'application/json' && !mediaType?.endsWith('+json'))
      return { ...base, hasBody: true, body: text };
    try {
      return { ...base, hasBody: true, body: JSON.parse(text) as unknown };
    } catch (err) {
      return { ...base, hasBody: true, body: text, bodyError: (err as Error).message };
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Property runs against a live API: for every operation of the document (or those `include`
 * picks), `numRuns` requests generated from it (see requestArbitrary), each answer checked
 * against the document. Violations are collected, not thrown, so that one run lists them all.
 * @throws Error (fast-check's, with the seed and the request) when a request gets no answer.
 */
export async function runConformance(options: ConformanceRunOptions): Promise<ConformanceReport> {
  const validator = newOpenApiValidator(options.doc);
  const operations = operationsOf(options.doc).filter(options.include ?? (() => true));
  const violations: Violation[] = [];
  const statuses = new Map<string, Map<number, number>>();
  const examples = new Map<string, Exchange>();
  let requests = 0;
  const runOne = async (op: OperationRef, index: number) => {
    const counts = new Map<number, number>();
    statuses.set(op.label, counts);
    const property = fc.asyncProperty(
      requestArbitrary(op, options.seeds, validator, options.doc),
      async (request: GeneratedRequest) => {
        const response = await sendRequest(options.baseUrl, request, options.timeoutMs);
        requests++;
        counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
        violations.push(...checkResponse(validator, op, request, response));
        const code = (response.body as { error?: { code?: unknown } } | undefined)?.error?.code;
        const exchange = {
          operation: op.label,
          request,
          response,
          code: typeof code === 'string' ? code : undefined,
        };
        const key = `${op.label} ${response.status} ${exchange.code}`;
        if (!examples.has(key)) examples.set(key, exchange);
      },
    );
    await fc.assert(property, {
      seed: options.seed + index,
      numRuns: options.numRuns * (op.method === 'get' ? 2 : 1),
      endOnFailure: true,
    });
  };
  const runAll = async (ops: readonly OperationRef[]) => {
    const queue = ops.map((op) => () => runOne(op, operations.indexOf(op)));
    const workers = Array.from({ length: options.concurrency ?? 4 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await next();
    });
    await Promise.all(workers);
  };
  const last = options.last ?? (() => false);
  await runAll(operations.filter((op) => !last(op)));
  await runAll(operations.filter(last));
  return { violations, statuses, examples: [...examples.values()], requests };
}

/** One violation per operation, status, kind and problem: the first request that showed it. */
export function distinctViolations(violations: readonly Violation[]): Violation[] {
  const seen = new Map<string, Violation>();
  for (const v of violations) {
    // Item indices aside (/data/3/flag and /data/7/flag are one problem).
    const problem = v.problem.replace(/\/\d+(?=[/ ])/g, '/*');
    const key = `${v.operation}\u0000${v.status}\u0000${v.kind}\u0000${problem}`;
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()];
}
