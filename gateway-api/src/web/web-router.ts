import Router from '@koa/router';
import type { Logger } from 'pino';
import { ApiError } from '../errors/error-catalog';
import { buildWebAssets, type WebAssets } from './web-assets';

/**
 * The dashboard's policy: its own script, stylesheet and icon, and calls to this origin only; no
 * inline script or style, nothing from elsewhere, never framed.
 */
export const webContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `GET /` (the ward dashboard) and its files. The front end is bundled on the first request and
 * kept (about 0.2 s once; a failed build is logged and tried again on the next request).
 */
export function newWebRouter(deps: { readonly logger: Logger }): Router {
  let assets: Promise<WebAssets> | undefined;
  const load = (): Promise<WebAssets> => {
    assets ??= buildWebAssets().catch((err: unknown) => {
      assets = undefined;
      deps.logger.error({ err }, 'the web front end does not build');
      throw new ApiError('INTERNAL', 'the web front end is not available', { cause: err });
    });
    return assets;
  };
  const router = new Router();
  for (const path of ['/', '/app.js', '/app.css', '/favicon.svg']) {
    router.get(path, async (ctx) => {
      const file = (await load()).files.get(path);
      if (file === undefined) return;
      ctx.set('Content-Security-Policy', webContentSecurityPolicy);
      ctx.type = file.type;
      ctx.body = file.body;
    });
  }
  return router;
}
