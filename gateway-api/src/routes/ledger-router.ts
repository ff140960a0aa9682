import Router from '@koa/router';
import { transactionCatalog } from '@careledger/contract';
import type { Context } from 'koa';
import type { Caller } from '../auth/authenticator';
import { transactionStatusUrl } from '../errors/fabric-error-mapper';
import type { AdmissionLimit } from '../http/admission-limit';
import type { ReadingIntake } from '../intake/reading-intake';
import { submissionStatusUrl } from '../intake/submission';
import type { Metrics } from '../http/metrics';
import { newCareLedger, type CareLedger, type LedgerAnswer } from '../ledger/care-ledger';
import type { CallOptions, LedgerClient, Timings } from '../ledger/ledger-client';
import type { RouteInput, RouteSpec } from './route-spec';
import { transactionParams } from './route-schemas';
import { validateInput } from './validate-input';

/** `Server-Timing` of a ledger call: milliseconds per phase, and the attempts it took. */
export function serverTiming(t: Timings): string {
  const parts = Object.entries(t)
    .filter(([k, v]) => k !== 'attempts' && typeof v === 'number')
    .map(([k, v]) => `${k.replace(/Ms$/, '')};dur=${(v as number).toFixed(1)}`);
  return [...parts, `attempts;desc="${t.attempts}"`].join(', ');
}

function wantsAsync(ctx: Context): boolean {
  return /(^|[,;\s])respond-async($|[,;\s])/i.test(ctx.get('prefer'));
}

function validate(spec: RouteSpec, ctx: Context): RouteInput {
  return {
    params: spec.params ? (validateInput(spec.params, ctx.params, 'path') as Record<string, string>) : {},
    query: spec.query ? (validateInput(spec.query, ctx.query, 'query') as Record<string, unknown>) : {},
    body: spec.body ? validateInput(spec.body, (ctx.request as { body?: unknown }).body, 'body') : undefined,
  };
}

/**
 * The /api/v1 routes of the route table, each one facade call signed by the caller. The facade
 * routes every call that touches a patient's data to the custodian's peer, and makes another
 * organisation's read a logged access request first.
 */
export function newLedgerRouter(deps: {
  readonly ledger: LedgerClient;
  readonly metrics: Metrics;
  readonly routes: readonly RouteSpec[];
  /** Admission control of the routes that submit a transaction; none without it. */
  readonly writes?: AdmissionLimit;
  /** The durable intake of asynchronous readings; without it they are submitted at once and not awaited. */
  readonly intake?: ReadingIntake;
  /**
   * The typed facade the routes call (its signed-reading batcher shared with the intake);
   * default: one over `ledger` with the default batching.
   */
  readonly careLedger?: CareLedger;
}): Router {
  const router = new Router();
  const careLedger: CareLedger = deps.careLedger ?? newCareLedger(deps.ledger);
  const observe = (spec: RouteSpec, t: Timings) => {
    for (const phase of ['evaluate', 'endorse', 'submit', 'commit'] as const) {
      const ms = t[`${phase}Ms`];
      if (ms !== undefined)
        deps.metrics.ledgerSeconds.observe({ phase, transaction: spec.transaction }, ms / 1000);
    }
  };

  for (const spec of deps.routes) {
    router[spec.method](spec.path, async (ctx) => {
      const caller = ctx.state.caller as Caller;
      const input = validate(spec, ctx);
      const submits = spec.method !== 'get' && transactionCatalog[spec.transaction].submit;
      const options: CallOptions = {
        identity: caller.identity,
        mspId: caller.mspId,
        async: submits && wantsAsync(ctx),
      };
      if (options.async === true && spec.intake !== undefined && deps.intake !== undefined) {
        const status = await deps.intake.accept(caller, spec.intake(input));
        const statusUrl = submissionStatusUrl(status.submissionId);
        ctx.status = 202;
        ctx.set('Location', statusUrl);
        ctx.body = { meta: { submissionId: status.submissionId, status: status.state, statusUrl } };
        return;
      }
      const call = () => spec.invoke(careLedger, input, options);
      const answer: LedgerAnswer<unknown> =
        submits && deps.writes !== undefined && spec.admission !== 'batched'
          ? await deps.writes.run(call)
          : await call();
      observe(spec, answer.timings);
      ctx.set('Server-Timing', serverTiming(answer.timings));
      respond(ctx, spec, answer);
    });
  }

  router.get('/transactions/:transactionId', async (ctx) => {
    const caller = ctx.state.caller as Caller;
    const { transactionId } = validateInput(transactionParams, ctx.params, 'path');
    const status = await deps.ledger.status(caller.identity, transactionId);
    ctx.body = {
      data: {
        ...status,
        status: !status.committed ? 'pending' : status.valid ? 'committed' : 'invalid',
        blockNumber: status.blockNumber?.toString(),
      },
    };
  });
  return router;
}

function respond(ctx: Context, spec: RouteSpec, answer: LedgerAnswer<unknown>): void {
  const { transactionId, blockNumber } = answer;
  if (answer.pending && transactionId) {
    const statusUrl = transactionStatusUrl(transactionId);
    ctx.status = 202;
    ctx.set('Location', statusUrl);
    ctx.body = { meta: { transactionId, status: 'pending', statusUrl } };
    return;
  }
  const meta = transactionId
    ? { transactionId, ...(blockNumber === undefined ? {} : { blockNumber: blockNumber.toString() }) }
    : undefined;
  const data = answer.value;
  // A replay created nothing: 200 with the stored record, not 201.
  ctx.status = answer.alreadyOnLedger === true ? 200 : (spec.status ?? 200);
  if (spec.paged && data && typeof data === 'object' && 'records' in data) {
    const page = data as { records: unknown[]; bookmark: string; fetchedRecordsCount: number };
    ctx.body = {
      data: page.records,
      page: { bookmark: page.bookmark, count: page.fetchedRecordsCount },
      ...(meta ? { meta } : {}),
    };
  } else {
    ctx.body = { data, ...(meta ? { meta } : {}) };
  }
}
