import type { ConsentScope, PatientRef, Receipt } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { addTimings, invoke, type Invocation, type LedgerAnswer } from './ledger-call';
import type { CallOptions, LedgerClient } from './ledger-client';

/** How often a read is tried again while the custodian's peer has not yet committed the access request. */
const commitLagRetries = 5;
const commitLagDelayMs = 200;

/**
 * A read of a patient's data, evaluated on the custodian's peer (which alone holds it). A
 * caller of another organisation first submits `AccessLog:request` for the scope: the custodian's
 * peer decides it as the read (matrix, consent), logs it in the patient's access log, and then
 * answers this identity's reads of the scope for a short window. So every cross-organisation
 * read through this gateway is one committed access-log entry, and the data itself never enters
 * a block. The answer's transactionId is the access request's.
 *
 * The caller's own peer reports the commit; on a real network the custodian's peer may commit a
 * moment later, so an ACCESS_NOT_LOGGED right after the request is retried briefly.
 */
export async function loggedRead<T>(
  ledger: LedgerClient,
  options: CallOptions,
  ref: PatientRef,
  scope: ConsentScope,
  read: Invocation,
): Promise<LedgerAnswer<T>> {
  const atCustodian = { ...read, endorsingOrganizations: [ref.custodianMspId] };
  if (ref.custodianMspId === options.mspId) return invoke<T>(ledger, options, atCustodian);
  const request = await invoke<Receipt>(
    ledger,
    { ...options, async: false },
    {
      transaction: 'AccessLog:request',
      args: [ref.custodianMspId, ref.patientId, scope],
      endorsingOrganizations: [ref.custodianMspId],
    },
  );
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await invoke<T>(ledger, options, atCustodian);
      return {
        ...answer,
        transactionId: request.transactionId,
        blockNumber: request.blockNumber,
        timings: addTimings(request.timings, answer.timings),
      };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'ACCESS_NOT_LOGGED') || attempt >= commitLagRetries) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, commitLagDelayMs));
    }
  }
}
