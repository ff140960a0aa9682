import Router from '@koa/router';
import { z } from 'zod';
import type { Caller } from '../auth/authenticator';

/** Who a credential is, as `GET /api/v1/session` answers it (its schema in the OpenAPI document). */
export const sessionRecord = z.strictObject({
  identity: z
    .string()
    .meta({ description: 'The wallet identity the gateway signs this caller’s calls with' }),
  mspId: z.string(),
  role: z.string(),
  patientId: z.string().optional(),
  deviceId: z.string().optional(),
});
export type SessionView = z.output<typeof sessionRecord>;

/**
 * `GET /session` (under /api/v1, after authentication): the caller's wallet identity,
 * organisation and role, with no ledger call, so that a client can show who is signed in. What
 * that caller may read is still the ledger's answer to each read.
 */
export function newSessionRouter(): Router {
  const router = new Router();
  router.get('/session', (ctx) => {
    const caller = ctx.state.caller as Caller;
    const { patientId, deviceId } = caller.attrs;
    const data: SessionView = {
      identity: caller.identity,
      mspId: caller.mspId,
      role: caller.role,
      ...(patientId === undefined ? {} : { patientId }),
      ...(deviceId === undefined ? {} : { deviceId }),
    };
    ctx.body = { data };
  });
  return router;
}
