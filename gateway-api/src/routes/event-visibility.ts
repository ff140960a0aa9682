import { EventName, permissionMatrix, type Role } from '@careledger/contract';
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

/**
 * The roles a consent can open anything to (every grant of the permission matrix with the
 * condition `consent`): of the grantee organisation, only they hear of its consent changes.
 */
const consentedRoles: ReadonlySet<string> = new Set<Role>(
  Object.values(permissionMatrix).flatMap((rule) =>
    Object.values(rule.grants).flatMap((grants) =>
      (grants ?? []).filter((g) => g.when === 'consent').flatMap((g) => g.roles),
    ),
  ),
);

function ownsPatient(caller: Caller, patientId: string, custodianMspId: string): boolean {
  return caller.role === 'patient' && caller.attrs.patientId === patientId && caller.mspId === custodianMspId;
}

/**
 * Whether a caller hears of a patient's vital signs as they are recorded (alerts, and the
 * committed-reading notices): the custodian's clinical staff and the patient, never another
 * organisation, consent or not — a push is a cross-organisation read the chaincode cannot log.
 */
export function hearsOfVitals(caller: Caller, patientId: string, custodianMspId: string): boolean {
  return (
    (custodianMspId === caller.mspId && clinicalRoles.has(caller.role)) ||
    ownsPatient(caller, patientId, custodianMspId)
  );
}

/** Whether a caller hears of any vital signs at all (so that its stream follows the readings). */
export function hearsOfAnyVitals(caller: Caller): boolean {
  return (
    clinicalRoles.has(caller.role) || (caller.role === 'patient' && caller.attrs.patientId !== undefined)
  );
}

/**
 * What of a chaincode event a caller may see, or undefined. Abnormal vitals go to the
 * custodian's clinical staff and to the patient, never to another organisation, consent or not:
 * a pushed alert would be a cross-organisation read the chaincode cannot log (consented
 * organisations use the logged query endpoints). Consent changes go to the custodian's admin,
 * the patient and those of the grantee organisation whose role a consent can entitle (clinicians,
 * technicians, pharmacists — never its devices).
 */
export function visiblePart(caller: Caller, eventName: string, payload: unknown): unknown {
  if (eventName === EventName.VitalAbnormal) {
    const alerts = ((payload as { alerts?: Alert[] }).alerts ?? []).filter((a) =>
      hearsOfVitals(caller, a.patientId, a.custodianMspId),
    );
    return alerts.length > 0 ? { alerts } : undefined;
  }
  if (eventName === EventName.ConsentChanged) {
    const c = payload as ConsentChange;
    const visible =
      (c.custodianMspId === caller.mspId && caller.role === 'admin') ||
      ownsPatient(caller, c.patientId, c.custodianMspId) ||
      (c.granteeMspId === caller.mspId && consentedRoles.has(caller.role));
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
