import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { ApiError, type ErrorCode } from '../errors/error-catalog';
import type { Metrics } from './metrics';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** Errors thrown with an HTTP status by Koa and its routers, as API errors. */
function fromHttpError(err: HttpishError): ApiError | undefined {
  const status = err.status ?? err.statusCode;
  if (status === undefined || (status >= 500 && status !== 501)) return undefined;
  const byStatus: Record<number, ErrorCode> = {
    400: 'INVALID_ARGUMENT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    404: 'ROUTE_NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    501: 'METHOD_NOT_ALLOWED',
  };
  const code = byStatus[status] ?? 'INVALID_ARGUMENT';
  const message =
    code === 'INVALID_ARGUMENT'
      ? `invalid request body: ${err.message ?? 'malformed'}`
      : (err.message ?? code);
  return new ApiError(code, message);
}

/** Mounted first: every error becomes `{error: {code, message, details}}` with its status. */
export function errorMiddleware(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError('ROUTE_NOT_FOUND', `no endpoint ${ctx.method} ${ctx.path}`);
      }
      // The routers answer a method the path does not take (405) or no route takes (501, e.g.
      // TRACE) with an Allow header: both are a method this endpoint does not allow.
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        const allowed = ctx.response.get('Allow');
        throw new ApiError('METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, {
          details: { allowed: allowed === '' ? [] : allowed.split(', ') },
        });
      }
    } catch (caught) {
      const err =
        caught instanceof ApiError
          ? caught
          : (fromHttpError(caught as HttpishError) ??
            new ApiError('INTERNAL', 'internal error', { cause: caught }));
      metrics.errors.inc({ code: err.code });
      const log = (ctx.state as { log?: Logger }).log ?? logger;
      // Shedding load is the gateway working as designed: one cheap line, no stack, so that an
      // overload does not also flood the log. Other 5xx are failures worth their stack.
      if (err.code === 'OVERLOADED') log.debug({ code: err.code }, err.message);
      else if (err.status >= 500) log.error({ err: caught, code: err.code }, 'request failed');
      else log.info({ code: err.code }, err.message);
      ctx.status = err.status;
      const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (err.status === 503 && retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
      if (err.status === 405 && ctx.response.get('Allow') === '') {
        // A 405 must say what is allowed; keep the routers' answer when they gave one.
        const allowed = (err.details as { allowed?: string[] } | undefined)?.allowed;
        if (allowed !== undefined) ctx.set('Allow', allowed.join(', '));
      }
      ctx.body = {
        error: {
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        },
      };
    }
  };
}
