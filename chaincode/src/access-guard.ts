import type { Context } from 'fabric-contract-api';
import {
  type AccessLogEntry,
  accessWindowMs,
  type Action,
  ChaincodeError,
  maxProposalSkewMs,
  type Patient,
  type PatientRef,
  permissionMatrix,
} from '@careledger/contract';
import { readActiveConsents } from './active-consents';
import { actorOf, txTime, type Caller } from './caller';
import { keys, privateKeys, ranges } from './keys';
import { putPrivate, privateAll } from './ledger/private-records';
import { readAsset } from './ledger/world-state';
import { decideAccess, relationOf } from './rules/access-decision';
import { findConsent, type ConsentLookup } from './rules/consent-rules';

/** Actions whose use by another organisation is a read of the patient's data, and is logged. */
export const loggedActions: ReadonlySet<Action> = new Set([
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

export interface AccessFactsInput {
  readonly deviceBound?: boolean;
  readonly ownRecords?: boolean;
}

/** @throws ChaincodeError NOT_FOUND when the custodian has no such patient. */
export async function requirePatient(ctx: Context, ref: PatientRef): Promise<Patient> {
  const patient = await readAsset<Patient>(ctx, keys.patient(ref.custodianMspId, ref.patientId));
  if (!patient) {
    throw new ChaincodeError('NOT_FOUND', `patient ${ref.patientId} of ${ref.custodianMspId} does not exist`);
  }
  return patient;
}

/**
 * Decide an action on a patient's data with the permission matrix, reading the patient's
 * consents (in the custodian's collection, so only its peer can decide) only when a consent
 * could open it. The decision comes before the patient is looked up: a caller without rights
 * gets the same answer whether the patient exists or not.
 * @throws ChaincodeError ACCESS_DENIED or CONSENT_REQUIRED; NOT_FOUND for an allowed caller.
 */
export async function authorize(
  ctx: Context,
  caller: Caller,
  action: Action,
  ref: PatientRef,
  facts: AccessFactsInput = {},
): Promise<Allowed> {
  const relation = relationOf(caller, ref.custodianMspId);
  const rule = permissionMatrix[action];
  const needsConsent =
    rule.scope !== undefined &&
    (rule.grants[relation] ?? []).some((g) => g.when === 'consent' && g.roles.includes(caller.role));
  let consent: ConsentLookup = { state: 'none' };
  if (needsConsent && rule.scope) {
    const consents = await readActiveConsents(ctx, ref.custodianMspId, ref.patientId);
    consent = findConsent(consents, caller, rule.scope, txTime(ctx));
  }
  const decision = decideAccess({
    action,
    relation,
    role: caller.role,
    isOwnPatient: caller.patientId === ref.patientId && caller.mspId === ref.custodianMspId,
    deviceBound: facts.deviceBound ?? false,
    ownRecords: facts.ownRecords ?? false,
    consent,
  });
  if (!decision.allowed)
    throw new ChaincodeError(decision.code, `${decision.reason} (patient ${ref.patientId})`);
  await requirePatient(ctx, ref);
  return decision;
}

/** Whether this caller's use of the action is logged (another organisation's read). */
export function isLogged(caller: Caller, action: Action, ref: PatientRef): boolean {
  return caller.mspId !== ref.custodianMspId && loggedActions.has(action);
}

/** Write an access-log entry to the custodian's collection; `validUntil` opens later reads. */
export async function logAccess(
  ctx: Context,
  caller: Caller,
  ref: PatientRef,
  action: Action,
  allowed: Allowed,
  validUntil?: string,
): Promise<AccessLogEntry> {
  const at = txTime(ctx).toISOString();
  const entry: AccessLogEntry = {
    patientId: ref.patientId,
    custodianMspId: ref.custodianMspId,
    txId: ctx.stub.getTxID(),
    at,
    accessor: actorOf(caller),
    action,
    scope: permissionMatrix[action].scope ?? '',
    basis: allowed.basis,
    consentId: allowed.consentId,
    validUntil,
  };
  await putPrivate(ctx, ref.custodianMspId, privateKeys.accessLog(ref.patientId, at, entry.txId), entry);
  return entry;
}

/**
 * A read (evaluated on the custodian's peer): the matrix and the consent as of now, and for
 * another organisation a committed access-log entry of this very identity for this action
 * whose window is open — written by an earlier `AccessLog:request`. Whatever client the reader
 * uses, no read of another organisation is answered without that entry.
 * @throws ChaincodeError ACCESS_DENIED, CONSENT_REQUIRED, NOT_FOUND, ACCESS_NOT_LOGGED.
 */
export async function authorizeRead(
  ctx: Context,
  caller: Caller,
  action: Action,
  ref: PatientRef,
  facts: AccessFactsInput = {},
): Promise<Allowed> {
  const allowed = await authorize(ctx, caller, action, ref, facts);
  if (!isLogged(caller, action, ref)) return allowed;
  const now = txTime(ctx).getTime();
  const from = new Date(now - accessWindowMs).toISOString();
  const to = new Date(now + maxProposalSkewMs).toISOString();
  const entries = await privateAll<AccessLogEntry>(
    ctx,
    ref.custodianMspId,
    ranges.accessLogBetween(ref.patientId, from, to),
    1000,
  );
  const id = actorOf(caller).id;
  const open = entries.some(
    (e) =>
      e.accessor.id === id &&
      e.accessor.mspId === caller.mspId &&
      e.action === action &&
      e.validUntil !== undefined &&
      Date.parse(e.validUntil) > now,
  );
  if (!open) {
    throw new ChaincodeError(
      'ACCESS_NOT_LOGGED',
      `${action} by ${caller.mspId} is answered only within ${accessWindowMs / 1000} s of a committed AccessLog:request for scope '${permissionMatrix[action].scope ?? ''}' (patient ${ref.patientId})`,
    );
  }
  return allowed;
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
