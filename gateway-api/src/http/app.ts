import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator';
import { ApiError } from '../errors/error-catalog';
import type { LedgerClient } from '../ledger/ledger-client';
import { newEventsRouter } from '../routes/events-router';
import type { CommittedReadings } from '../ledger/committed-readings';
import type { ReadingIntake } from '../intake/reading-intake';
import { newCareLedger, type CareLedger } from '../ledger/care-ledger';
import { newLedgerRouter } from '../routes/ledger-router';
import { newSubmissionsRouter } from '../routes/submissions-router';
import { routeTable } from '../routes/route-table';
import { cors, requestContext, securityHeaders } from './common-middleware';
import { errorMiddleware } from './error-middleware';
import { jsonBody } from './json-body';
import type { Metrics } from './metrics';
import { renderDocsPage } from './docs-page';
import { AdmissionLimit } from './admission-limit';
import { EventLoopLag } from './event-loop-lag';
import { buildOpenApi } from './openapi';
import { newSessionRouter } from '../web/session-router';
import { newWebRouter } from '../web/web-router';
import { newFhirMiddleware } from '../fhir/fhir-router';

export interface AppDeps {
  readonly ledger: LedgerClient;
  readonly authenticator: Authenticator;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly bodyLimit: string;
  readonly corsOrigins: readonly string[];
  /** The wallet identity /readyz evaluates with. */
  readonly readinessIdentity: string;
  readonly version: string;
  /** Aborted when the server shuts down: open event streams end and /readyz answers 503. */
  readonly shutdown?: AbortSignal;
  /**
   * Why the network cannot take transactions, if the gateway can tell (the embedded network
   * says when its ledger cannot write blocks); /readyz answers 503 with it.
   */
  readonly networkProblem?: () => string | undefined;
  /** Writes admitted at once (`MAX_WRITES_IN_FLIGHT`, default 256); one more is refused 503 OVERLOADED. */
  readonly maxWritesInFlight?: number;
  /**
   * Once writes wait this much longer than the fastest recent one, only as many are admitted as
   * the ledger commits in time (`MAX_WRITE_QUEUE_DELAY_MS`, 250; see AdmissionLimit).
   */
  readonly maxWriteQueueDelayMs?: number;
  /** Writes are refused 503 OVERLOADED while the event loop runs later than this (`MAX_EVENT_LOOP_LAG_MS`, 250). */
  readonly maxEventLoopLagMs?: number;
  /** The durable intake of asynchronous readings and its status URLs; without it they are submitted unawaited. */
  readonly intake?: ReadingIntake;
  /**
   * The typed facade over `ledger` the routes call, one for the whole gateway so that every
   * device-signed reading goes through one batcher (`SIGNED_BATCH_*`); default: one with the
   * default batching.
   */
  readonly careLedger?: CareLedger;
  /**
   * Each organisation's committed readings (one DeliverWithPrivateData stream per organisation),
   * pushed to event-stream subscribers as ids-only `ReadingCommitted` notices; without it the
   * stream carries chaincode events only.
   */
  readonly committedReadings?: CommittedReadings;
}

/** The Koa application: middleware, operations endpoints and /api/v1. It does not listen. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: false });
  // Errors outside the middleware chain (e.g. an SSE client that went away) go to the log,
  // not to Koa's console default.
  app.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET') return;
    deps.logger.warn({ err }, 'unhandled application error');
  });
  const openApi = buildOpenApi(routeTable, deps.version);
  const docsPage = renderDocsPage(openApi);

  app.use(requestContext(deps.logger, deps.metrics));
  app.use(errorMiddleware(deps.logger, deps.metrics));
  app.use(securityHeaders());
  app.use(cors(deps.corsOrigins));

  const ops = new Router();
  ops.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  ops.get('/readyz', async (ctx) => {
    if (deps.shutdown?.aborted) throw new ApiError('SHUTTING_DOWN', 'the gateway is shutting down');
    const problem = deps.networkProblem?.();
    if (problem !== undefined)
      throw new ApiError('LEDGER_UNAVAILABLE', `the network is not ready: ${problem}`);
    try {
      await deps.ledger.ready(deps.readinessIdentity);
      ctx.body = { status: 'ready' };
    } catch (err) {
      throw new ApiError('LEDGER_UNAVAILABLE', 'the ledger does not answer', { cause: err });
    }
  });
  ops.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', deps.metrics.registry.contentType);
    ctx.body = await deps.metrics.registry.metrics();
  });
  ops.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  ops.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.type = 'html';
    ctx.body = docsPage;
  });
  app.use(ops.routes());
  app.use(newWebRouter({ logger: deps.logger }).routes());

  const api = new Router({ prefix: '/api/v1' });
  const lag = new EventLoopLag();
  deps.shutdown?.addEventListener('abort', () => lag.stop(), { once: true });
  const maxLagMs = deps.maxEventLoopLagMs ?? 250;
  api.use(async (ctx, next) => {
    // Shed writes first, before any work is spent on them, while the loop runs late.
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && lag.lagMs > maxLagMs) {
      throw new ApiError(
        'OVERLOADED',
        `the gateway is saturated (its event loop runs ${Math.round(lag.lagMs)} ms late); retry shortly`,
        { details: { retryAfterSeconds: 1 } },
      );
    }
    ctx.state.caller = await deps.authenticator.authenticate({
      authorization: ctx.get('authorization') || undefined,
      'x-api-key': ctx.get('x-api-key') || undefined,
    });
    // A body must be JSON; a POST without one (e.g. enrolling a device key) needs no type.
    const hasBody = (ctx.request.length ?? 0) > 0 || ctx.get('transfer-encoding') !== '';
    if ((ctx.method === 'POST' || ctx.method === 'PUT') && hasBody && !ctx.is('application/json')) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    }
    await next();
  });
  api.use(jsonBody(deps.bodyLimit));
  const careLedger = deps.careLedger ?? newCareLedger(deps.ledger);
  // One admission budget for the gateway's writes, whichever interface (REST, FHIR) they come by.
  const writes = new AdmissionLimit({
    max: deps.maxWritesInFlight ?? 256,
    maxQueueDelayMs: deps.maxWriteQueueDelayMs ?? 250,
  });
  const ledgerRouter = newLedgerRouter({
    ledger: deps.ledger,
    metrics: deps.metrics,
    routes: routeTable,
    writes,
    ...(deps.intake === undefined ? {} : { intake: deps.intake }),
    careLedger,
  });
  if (deps.intake !== undefined) {
    const submissions = newSubmissionsRouter({ intake: deps.intake, ledger: careLedger });
    api.use(submissions.routes(), submissions.allowedMethods());
  }
  const eventsRouter = newEventsRouter({
    ledger: deps.ledger,
    shutdown: deps.shutdown,
    readings: deps.committedReadings,
  });
  api.use(ledgerRouter.routes(), ledgerRouter.allowedMethods());
  api.use(eventsRouter.routes());
  api.use(newSessionRouter().routes());
  const { authenticator, metrics, logger, bodyLimit, version } = deps;
  app.use(newFhirMiddleware({ careLedger, authenticator, metrics, logger, bodyLimit, version, writes }));
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}
