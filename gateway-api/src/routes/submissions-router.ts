import Router from '@koa/router';
import type { Caller } from '../auth/authenticator';
import { ApiError } from '../errors/error-catalog';
import type { ReadingIntake } from '../intake/reading-intake';
import type { SubmissionStatus } from '../intake/submission';
import type { CareLedger } from '../ledger/care-ledger';
import { submissionParams } from './route-schemas';
import { validateInput } from './validate-input';

/**
 * Whether `caller` may see a submission: the identity that sent it always; anyone else once it
 * is committed and only if the ledger lets them read its readings (one read per patient, made
 * as the caller, so consent and the access log apply as to any other read).
 */
async function entitled(ledger: CareLedger, caller: Caller, s: SubmissionStatus): Promise<boolean> {
  if (caller.identity === s.identity) return true;
  const custodianMspId = s.custodianMspId;
  if (s.state !== 'committed' || custodianMspId === undefined) return false;
  const onePerPatient = new Map(s.readings.map((r) => [r.patientId, r.readingId]));
  try {
    for (const [patientId, readingId] of onePerPatient) {
      await ledger.vitals.get(caller, { custodianMspId, patientId }, readingId);
    }
    return true;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return false;
    throw err;
  }
}

/** What the status URL answers: ids and outcome, never the readings' values or who sent them. */
function view(s: SubmissionStatus) {
  return {
    submissionId: s.submissionId,
    status: s.state,
    acceptedAt: s.acceptedAt,
    readings: s.readings,
    attempts: s.attempts,
    ...(s.custodianMspId === undefined ? {} : { custodianMspId: s.custodianMspId }),
    ...(s.transactionId === undefined ? {} : { transactionId: s.transactionId }),
    ...(s.blockNumber === undefined ? {} : { blockNumber: s.blockNumber }),
    ...(s.replayed === undefined ? {} : { replayed: s.replayed }),
    ...(s.settledAt === undefined ? {} : { settledAt: s.settledAt }),
    ...(s.error === undefined ? {} : { error: s.error }),
  };
}

/** `GET /submissions/{id}`: the status URL of readings accepted with `Prefer: respond-async`. */
export function newSubmissionsRouter(deps: { readonly intake: ReadingIntake; readonly ledger: CareLedger }) {
  const router = new Router();
  router.get('/submissions/:submissionId', async (ctx) => {
    const caller = ctx.state.caller as Caller;
    const { submissionId } = validateInput(submissionParams, ctx.params, 'path');
    const status = await deps.intake.status(submissionId);
    if (status === undefined || !(await entitled(deps.ledger, caller, status))) {
      throw new ApiError('NOT_FOUND', `no submission ${submissionId} is known to this caller`);
    }
    ctx.body = { data: view(status) };
  });
  return router;
}
