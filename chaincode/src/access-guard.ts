import type { Context } from 'fabric-contract-api';
import type { AccessLogEntry } from './assets/access-log-entry';
import type { Consent } from './assets/consent';
import type { Patient } from './assets/patient';
import { actorOf, txTime, type Caller } from './caller';
import { isConsentAnchored } from './custodian-anchor';
import { ChaincodeError } from './error-code';
import { keys, ranges } from './keys';
import { createAsset, readAll, readAsset } from './ledger/world-state';
import { decideAccess, relationOf } from './rules/access-decision';
import { findConsent, type ConsentLookup } from './rules/consent-rules';
import { permissionMatrix, type Action } from './rules/permission-matrix';

/** Consents kept per patient at most; a patient with more must revoke old ones first. */
export const maxConsentsPerPatient = 200;

/** Actions whose use by another organisation is a read of the patient's data, and is logged. */
const loggedActions: ReadonlySet<Action> = new Set([
  'readDemographics',
  'readVitals',
  'readLabResults',
  'readPrescriptions',
  'dispense',
]);

export interface Allowed {
  readonly basis: string;
  readonly consentId?: string;
}

/** @throws ChaincodeError NOT_FOUND when the patient does not exist. */
export async function requirePatient(ctx: Context, patientId: string): Promise<Patient> {
  const patient = await readAsset<Patient>(ctx, keys.patient(patientId));
  if (!patient) throw new ChaincodeError('NOT_FOUND', `patient ${patientId} does not exist`);
  return patient;
}

/**
 * Decide an action on a patient's data with the permission matrix, reading the patient's
 * consents only when a consent could open it. Cross-organisation reads are logged.
 * @throws ChaincodeError ACCESS_DENIED or CONSENT_REQUIRED.
 */
export async function authorize(
  ctx: Context,
  caller: Caller,
  action: Action,
  patient: Patient,
  facts: { readonly deviceBound?: boolean; readonly ownRecords?: boolean } = {},
): Promise<Allowed> {
  const relation = relationOf(caller, patient.custodianMspId);
  const rule = permissionMatrix[action];
  const needsConsent =
    rule.scope !== undefined &&
    (rule.grants[relation] ?? []).some((g) => g.when === 'consent' && g.roles.includes(caller.role));
  let consent: ConsentLookup = { state: 'none' };
  if (needsConsent && rule.scope) {
    const consents = await readAll<Consent>(ctx, ranges.consentsOf(patient.patientId), maxConsentsPerPatient);
    const anchored: Consent[] = [];
    for (const c of consents) {
      if (c.granteeMspId === caller.mspId && (await isConsentAnchored(ctx, c))) anchored.push(c);
    }
    consent = findConsent(anchored, caller, rule.scope, txTime(ctx));
  }
  const decision = decideAccess({
    action,
    relation,
    role: caller.role,
    isOwnPatient: caller.patientId === patient.patientId && caller.mspId === patient.custodianMspId,
    deviceBound: facts.deviceBound ?? false,
    ownRecords: facts.ownRecords ?? false,
    consent,
  });
  if (!decision.allowed)
    throw new ChaincodeError(decision.code, `${decision.reason} (patient ${patient.patientId})`);
  if (caller.mspId !== patient.custodianMspId && loggedActions.has(action)) {
    await logAccess(ctx, caller, patient, action, decision.basis, decision.consentId);
  }
  return decision;
}

async function logAccess(
  ctx: Context,
  caller: Caller,
  patient: Patient,
  action: Action,
  basis: string,
  consentId: string | undefined,
): Promise<void> {
  const at = txTime(ctx).toISOString();
  const entry: AccessLogEntry = {
    patientId: patient.patientId,
    txId: ctx.stub.getTxID(),
    at,
    accessor: actorOf(caller),
    action,
    scope: permissionMatrix[action].scope ?? '',
    basis,
    consentId,
  };
  await createAsset(ctx, keys.accessLog(patient.patientId, at, entry.txId), entry, patient.custodianMspId);
}

/**
 * Decide an action that concerns no existing patient (registering a patient or a device):
 * the caller acts as the custodian of what it creates.
 * @throws ChaincodeError ACCESS_DENIED.
 */
export function authorizeAtOwnOrganization(caller: Caller, action: Action): void {
  const decision = decideAccess({
    action,
    relation: relationOf(caller, caller.mspId),
    role: caller.role,
    isOwnPatient: false,
    deviceBound: false,
    ownRecords: false,
    consent: { state: 'none' },
  });
  if (!decision.allowed) throw new ChaincodeError(decision.code, decision.reason);
}
