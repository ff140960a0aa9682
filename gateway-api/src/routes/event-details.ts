import { EventName, type VitalAlert, type VitalSign } from '@careledger/contract';
import type { Caller } from '../auth/authenticator';
import type { CareLedger } from '../ledger/care-ledger';

/** An alert as a subscriber sees it: the event's ids and score, and the reading when it may read it. */
export interface ResolvedAlert extends VitalAlert {
  readonly reading?: VitalSign;
}

/**
 * The details a chaincode event leaves out (it is in every member's blocks, so it names records
 * only by id), read on the ledger with the subscriber's own rights: the readings of a
 * `VitalAbnormal`, for the custodian's staff and the patient that `visiblePart` let through. A
 * reading the subscriber may not read, or that cannot be read now, stays an id and a score.
 */
export async function withDetails(
  ledger: CareLedger,
  caller: Caller,
  eventName: string,
  visible: unknown,
): Promise<unknown> {
  if (eventName !== EventName.VitalAbnormal) return visible;
  const alerts = (visible as { alerts: VitalAlert[] }).alerts;
  const options = { identity: caller.identity, mspId: caller.mspId };
  const resolved: ResolvedAlert[] = await Promise.all(
    alerts.map(async (alert) => {
      if (alert.custodianMspId !== caller.mspId) return alert;
      try {
        const ref = { custodianMspId: alert.custodianMspId, patientId: alert.patientId };
        const answer = await ledger.vitals.get(options, ref, alert.readingId);
        return { ...alert, reading: answer.value };
      } catch {
        return alert;
      }
    }),
  );
  return { alerts: resolved };
}
