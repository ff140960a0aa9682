import type { ConsentLookup } from './consent-rules';
import {
  type Action,
  type Condition,
  type OrgType,
  permissionMatrix,
  type Relation,
  type Role,
} from '@careledger/contract';

export interface AccessFacts {
  readonly action: Action;
  readonly relation: Relation;
  readonly role: Role;
  /** A patient identity of the custodian whose patientId is this patient. */
  readonly isOwnPatient: boolean;
  /** A device identity bound to this patient. */
  readonly deviceBound: boolean;
  /** The records concerned were written by the caller's own organisation. */
  readonly ownRecords: boolean;
  readonly consent: ConsentLookup;
}

export type Decision =
  | { readonly allowed: true; readonly basis: Condition; readonly consentId?: string }
  | { readonly allowed: false; readonly code: 'ACCESS_DENIED' | 'CONSENT_REQUIRED'; readonly reason: string };

const relationText: Record<Relation, string> = {
  custodian: 'the custodian hospital',
  otherHospital: 'another hospital',
  lab: 'a lab',
  pharmacy: 'a pharmacy',
  patient: 'the patient',
};

/** How a caller stands to a patient. A patient identity is always 'patient' (ownership is checked apart). */
export function relationOf(
  caller: { readonly mspId: string; readonly orgType: OrgType; readonly role: Role },
  custodianMspId: string,
): Relation {
  if (caller.role === 'patient') return 'patient';
  switch (caller.orgType) {
    case 'hospital':
      return caller.mspId === custodianMspId ? 'custodian' : 'otherHospital';
    case 'lab':
      return 'lab';
    case 'pharmacy':
      return 'pharmacy';
  }
}

/** Decide one access from the permission matrix. Pure: the same facts always give the same answer. */
export function decideAccess(facts: AccessFacts): Decision {
  const rule = permissionMatrix[facts.action];
  const grant = (rule.grants[facts.relation] ?? []).find((g) => g.roles.includes(facts.role));
  if (!grant) {
    return {
      allowed: false,
      code: 'ACCESS_DENIED',
      reason: `${facts.role} of ${relationText[facts.relation]} may not ${facts.action}`,
    };
  }
  switch (grant.when) {
    case 'always':
      return { allowed: true, basis: 'always' };
    case 'own':
      return facts.isOwnPatient
        ? { allowed: true, basis: 'own' }
        : {
            allowed: false,
            code: 'ACCESS_DENIED',
            reason: `a patient may ${facts.action} only for their own records`,
          };
    case 'boundDevice':
      return facts.deviceBound
        ? { allowed: true, basis: 'boundDevice' }
        : { allowed: false, code: 'ACCESS_DENIED', reason: 'the device is not bound to this patient' };
    case 'ownRecords':
      return facts.ownRecords
        ? { allowed: true, basis: 'ownRecords' }
        : {
            allowed: false,
            code: 'ACCESS_DENIED',
            reason: `${facts.role} may ${facts.action} only for records of their own organisation`,
          };
    case 'consent':
      if (facts.consent.state === 'active' && facts.consent.consent) {
        return { allowed: true, basis: 'consent', consentId: facts.consent.consent.consentId };
      }
      return {
        allowed: false,
        code: 'CONSENT_REQUIRED',
        reason: `${facts.action} needs the patient's active consent for '${rule.scope ?? 'any'}' (consent: ${facts.consent.state})`,
      };
  }
}
