import Router from '@koa/router';
import { transactionCatalog } from '@careledger/chaincode';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Caller } from '../auth/authenticator';
import type { Metrics } from '../http/metrics';
import type { CallResult, LedgerClient, Timings } from '../ledger/ledger-client';
import type { RouteInput, RouteSpec } from './route-spec';
import { validateInput } from './validate-input';

const transactionParams = z.strictObject({
  transactionId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a transaction id (64 hex digits)'),
});

function decode(payload: Uint8Array): unknown {
  const text = Buffer.from(payload).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function serverTiming(t: Timings): string {
  const parts = Object.entries(t)
    .filter(([k, v]) => k !== 'attempts' && typeof v === 'number')
    .map(([k, v]) => `${k.replace(/Ms$/, '')};dur=${(v as number).toFixed(1)}`);
  return [...parts, `attempts;desc="${t.attempts}"`].join(', ');
}

function wantsAsync(ctx: Context): boolean {
  return /(^|[,;\s])respond-async($|[,;\s])/i.test(ctx.get('prefer'));
}

/** The /api/v1 routes of the route table, each one transaction signed by the caller. */
export function newLedgerRouter(deps: {
  ledger: LedgerClient;
  metrics: Metrics;
  routes: readonly RouteSpec[];
}): Router {
  const router = new Router();
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
      const input: RouteInput = {
        params: (spec.params ? validateInput(spec.params, ctx.params, 'path') : ctx.params) as Record<
          string,
          string
        >,
        query: spec.query ? validateInput(spec.query, ctx.query, 'query') : {},
        body: spec.body
          ? validateInput(spec.body, (ctx.request as { body?: unknown }).body, 'body')
          : undefined,
      };
      const submit = transactionCatalog[spec.transaction].submit;
      // Reads the chaincode may log are submitted, but only another organisation's reads are
      // logged: the custodian's own staff and its patients read with a cheap evaluate.
      const patientParam =
        spec.custodianPatientParam ?? (submit && spec.method === 'get' ? 'patientId' : undefined);
      const patientId = patientParam === undefined ? undefined : input.params[patientParam];
      let custodian: string | undefined;
      if (patientId !== undefined) {
        const answer = await deps.ledger.call({
          identity: caller.identity,
          transaction: 'Patients:custodianOf',
          args: [patientId],
        });
        custodian = String(decode(answer.payload));
      }
      const endorsingOrganizations = spec.custodianPatientParam && custodian ? [custodian] : undefined;
      const evaluate = submit && spec.method === 'get' && custodian === caller.mspId;
      const async = submit && !evaluate && wantsAsync(ctx);
      const result: CallResult = await deps.ledger.call({
        identity: caller.identity,
        transaction: spec.transaction,
        args: spec.args(input),
        transient: spec.transient?.(input),
        endorsingOrganizations,
        async,
        evaluate,
      });
      observe(spec, result.timings);
      ctx.set('Server-Timing', serverTiming(result.timings));
      const meta = result.transactionId
        ? {
            transactionId: result.transactionId,
            ...(result.blockNumber === undefined ? {} : { blockNumber: result.blockNumber.toString() }),
          }
        : undefined;
      if (result.pending && result.transactionId) {
        const statusUrl = `/api/v1/transactions/${result.transactionId}`;
        ctx.status = 202;
        ctx.set('Location', statusUrl);
        ctx.body = { meta: { transactionId: result.transactionId, status: 'pending', statusUrl } };
        return;
      }
      const data = decode(result.payload);
      ctx.status = spec.status ?? 200;
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
    });
  }
  router.get('/transactions/:transactionId', async (ctx) => {
    const caller = ctx.state.caller as Caller;
    const { transactionId } = validateInput(transactionParams, ctx.params, 'path');
    const status = await deps.ledger.status(caller.identity, transactionId);
    ctx.body = { data: { ...status, blockNumber: status.blockNumber.toString() } };
  });
  return router;
}
