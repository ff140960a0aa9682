import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Authenticator, Caller } from '../auth/authenticator';
import { ApiError } from '../errors/error-catalog';
import type { AdmissionLimit } from '../http/admission-limit';
import { jsonBody } from '../http/json-body';
import type { Metrics } from '../http/metrics';
import type { CareLedger } from '../ledger/care-ledger';
import type { CallOptions } from '../ledger/ledger-client';
import { capabilityStatement } from './capability-statement';
import { newObservationReader } from './observation-reads';
import { parseObservationSearch } from './observation-search';
import { newObservationWriter } from './observation-writes';
import { operationOutcomeOf } from './operation-outcome';
import { addRecordRoutes } from './record-routes';
import { searchsetOf } from './searchset';

/** Where the FHIR R4 interface is served. */
export const fhirBasePath = '/fhir/R4';

export interface FhirRouterDeps {
  readonly careLedger: CareLedger;
  readonly authenticator: Authenticator;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly bodyLimit: string;
  readonly version: string;
  /** The admission control of /api/v1's writes, shared: the gateway admits one budget of writes. */
  readonly writes?: AdmissionLimit;
}

const fhirJson = 'application/fhir+json';
const noop = async () => undefined;

function respond(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = fhirJson;
  ctx.body = body;
}

const baseUrl = (ctx: Context) => `${ctx.protocol}://${ctx.host}${fhirBasePath}`;

/**
 * `/fhir/R4`: FHIR R4 over the same ledger calls as /api/v1 (the CareLedger facade, signed by the
 * caller's own identity, so the ledger decides access as for REST: matrix, consents, access
 * log), with the same authentication. Answers are `application/fhir+json`; every error is an
 * OperationOutcome with the status of the gateway's error catalogue. A middleware: other paths
 * pass through.
 */
export function newFhirMiddleware(deps: FhirRouterDeps): Middleware {
  const router = new Router({ prefix: fhirBasePath });
  const writer = newObservationWriter(deps);
  const reader = newObservationReader(deps.careLedger);
  const started = new Date().toISOString();
  const options = (ctx: Context): CallOptions => {
    const caller = ctx.state.caller as Caller;
    return { identity: caller.identity, mspId: caller.mspId };
  };

  router.get('/metadata', (ctx) => {
    respond(ctx, 200, capabilityStatement({ baseUrl: baseUrl(ctx), version: deps.version, date: started }));
  });
  router.get('/Observation/:id', async (ctx) => {
    respond(ctx, 200, await reader.read(options(ctx), ctx.params.id ?? ''));
  });
  router.get('/Observation', async (ctx) => {
    const search = parseObservationSearch(ctx.query, options(ctx).mspId);
    const page = await reader.search(options(ctx), search);
    respond(
      ctx,
      200,
      searchsetOf({
        baseUrl: baseUrl(ctx),
        resourceType: 'Observation',
        querystring: ctx.querystring,
        resources: page.observations,
        ...(page.next === undefined ? {} : { next: page.next }),
        outcomes: page.outcomes,
      }),
    );
  });
  router.post('/Observation', async (ctx) => {
    const created = await writer.create(options(ctx), (ctx.request as { body?: unknown }).body);
    if (created.location !== undefined) ctx.set('Location', `${baseUrl(ctx)}/${created.location}`);
    respond(ctx, created.status, created.observation);
  });
  router.post('/', async (ctx) => {
    respond(ctx, 200, await writer.bundle(options(ctx), (ctx.request as { body?: unknown }).body));
  });
  addRecordRoutes(router, { careLedger: deps.careLedger, options, respond, baseUrl });

  const body = jsonBody(deps.bodyLimit);
  const routes = router.routes();
  return async (ctx, next) => {
    if (ctx.path !== fhirBasePath && !ctx.path.startsWith(`${fhirBasePath}/`)) {
      await next();
      return;
    }
    try {
      const matched = router.match(ctx.path, ctx.method);
      if (!matched.route) {
        const allowed = [...new Set(matched.path.flatMap((layer) => layer.methods))];
        if (allowed.length === 0) throw new ApiError('ROUTE_NOT_FOUND', `FHIR has no ${ctx.path} here`);
        ctx.set('Allow', allowed.join(', '));
        throw new ApiError('METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`);
      }
      if (ctx.path !== `${fhirBasePath}/metadata`) {
        ctx.state.caller = await deps.authenticator.authenticate({
          authorization: ctx.get('authorization') || undefined,
          'x-api-key': ctx.get('x-api-key') || undefined,
        });
      }
      if (ctx.method === 'POST' && !ctx.is(fhirJson, 'application/json'))
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `send the body as ${fhirJson}`);
      await body(ctx, noop);
      await routes(ctx as Parameters<typeof routes>[0], noop);
    } catch (caught) {
      const err =
        caught instanceof ApiError ? caught : new ApiError('INTERNAL', 'internal error', { cause: caught });
      deps.metrics.errors.inc({ code: err.code });
      const log = (ctx.state as { log?: Logger }).log ?? deps.logger;
      if (err.status >= 500 && err.code !== 'OVERLOADED')
        log.error({ err: caught, code: err.code }, 'FHIR request failed');
      else log.info({ code: err.code }, err.message);
      const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (err.status === 503 && retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
      respond(ctx, err.status, operationOutcomeOf(err));
    }
  };
}
