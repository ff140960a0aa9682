import { EventName } from '@careledger/contract';
import type { Caller } from '../auth/authenticator';

interface Alert {
  readonly patientId: string;
  readonly custodianMspId: string;
}

interface ConsentChange {
  readonly patientId: string;
  readonly custodianMspId: string;
  readonly granteeMspId: string;
}

const clinicalRoles = new Set(['admin', 'doctor', 'nurse']);

function ownsPatient(caller: Caller, patientId: string, custodianMspId: string): boolean {
  return caller.role === 'patient' && caller.attrs.patientId === patientId && caller.mspId === custodianMspId;
}

/**
 * What of a chaincode event a caller may see, or undefined. Abnormal vitals go to the
 * custodian's clinical staff and to the patient, never to another organisation, consent or not:
 * a pushed alert would be a cross-organisation read the chaincode cannot log (consented
 * organisations use the logged query endpoints). Consent changes go to the custodian's admin,
 * the patient and the grantee organisation.
 */
export function visiblePart(caller: Caller, eventName: string, payload: unknown): unknown {
  if (eventName === EventName.VitalAbnormal) {
    const alerts = ((payload as { alerts?: Alert[] }).alerts ?? []).filter(
      (a) =>
        (a.custodianMspId === caller.mspId && clinicalRoles.has(caller.role)) ||
        ownsPatient(caller, a.patientId, a.custodianMspId),
    );
    return alerts.length > 0 ? { alerts } : undefined;
  }
  if (eventName === EventName.ConsentChanged) {
    const c = payload as ConsentChange;
    const visible =
      (c.custodianMspId === caller.mspId && caller.role === 'admin') ||
      ownsPatient(caller, c.patientId, c.custodianMspId) ||
      c.granteeMspId === caller.mspId;
    return visible ? payload : undefined;
  }
  return undefined;
}

/** SSE event ids: `<block>:<txId>`, the position to resume after. */
export function parseEventId(
  id: string | undefined,
): { blockNumber: bigint; transactionId: string } | undefined {
  const match = /^(\d{1,20}):([0-9a-f]{64})$/.exec(id ?? '');
  return match ? { blockNumber: BigInt(match[1] ?? '0'), transactionId: match[2] ?? '' } : undefined;
}
