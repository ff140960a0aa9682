import type { Consent as LedgerConsent, ConsentScope } from '@careledger/contract';
import type {
  Consent,
  ConsentProvision,
  Organization,
  PractitionerRole,
  Reference,
} from '@medplum/fhirtypes';
import { encodeFhirId } from './fhir-id';
import { actorReference, organizationReference, patientReference } from './fhir-references';
import { consentIdSystem, fhirSystem } from './fhir-terms';

/**
 * The FHIR id of a consent: its consent id, which the ledger makes the granting transaction's id
 * (64 hex digits, unique on the channel), so it fits FHIR's 64 characters alone but not with its
 * custodian and patient: a Consent is found by search, not read by id.
 */
export function consentFhirId(consent: Pick<LedgerConsent, 'consentId'>): string | undefined {
  return encodeFhirId([consent.consentId]);
}

/** The FHIR resource types each consent scope opens. */
export const scopeResourceTypes: Readonly<Record<ConsentScope, readonly string[]>> = {
  demographics: ['Patient'],
  vitals: ['Observation'],
  labResults: ['Observation'],
  prescriptions: ['MedicationRequest', 'MedicationDispense'],
};

const resourceTypes = 'http://hl7.org/fhir/resource-types';

/**
 * The grantee: the organisation, or, for a consent limited to one role, that role at the
 * organisation (a logical PractitionerRole reference: the ledger names roles, not people).
 */
function grantee(consent: LedgerConsent): Reference<Organization | PractitionerRole> {
  if (consent.granteeRole === undefined) return organizationReference(consent.granteeMspId);
  return {
    type: 'PractitionerRole',
    identifier: { system: `urn:careledger:${consent.granteeMspId}:role`, value: consent.granteeRole },
    display: `${consent.granteeRole} of ${consent.granteeMspId}`,
  };
}

/**
 * A consent's FHIR status as of `now`: `inactive` once revoked or past `validUntil` (the ledger
 * refuses reads under it at once either way), `proposed` before `validFrom`, else `active`.
 */
export function consentStatus(consent: LedgerConsent, now: Date): Consent['status'] {
  if (consent.status === 'revoked' || Date.parse(consent.validUntil) <= now.getTime()) return 'inactive';
  return Date.parse(consent.validFrom) > now.getTime() ? 'proposed' : 'active';
}

/**
 * A patient's consent as a FHIR R4 Consent (scope `patient-privacy`, category LOINC 59284-0,
 * policy rule `OPTIN`: the ledger shares nothing without it): the top provision permits the
 * grantee (actor role `IRCP`, information recipient) in `[validFrom, validUntil]` for the
 * purpose (as text), with one nested permit per scope, each naming its scope in the
 * `urn:careledger:consent-scope` system and the resource types it opens as `class`. `dateTime`
 * is when it was granted; `performer` who granted it (the patient, or the custodian's admin on
 * the patient's behalf).
 */
export function consentResourceOf(consent: LedgerConsent, now: Date): Consent {
  const id = consentFhirId(consent);
  const provisions: ConsentProvision[] = consent.scopes.map((scope) => ({
    type: 'permit',
    class: scopeResourceTypes[scope].map((code) => ({ system: resourceTypes, code })),
    code: [{ coding: [{ system: fhirSystem.consentScope, code: scope }], text: scope }],
  }));
  const patient = patientReference(consent.custodianMspId, consent.patientId);
  return {
    resourceType: 'Consent',
    ...(id === undefined ? {} : { id }),
    identifier: [{ system: consentIdSystem(consent.custodianMspId), value: consent.consentId }],
    status: consentStatus(consent, now),
    scope: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/consentscope',
          code: 'patient-privacy',
          display: 'Privacy Consent',
        },
      ],
    },
    category: [{ coding: [{ system: fhirSystem.loinc, code: '59284-0', display: 'Patient Consent' }] }],
    patient,
    dateTime: consent.grantedAt,
    performer: [consent.onBehalfOfPatient ? actorReference(consent.grantedBy) : patient],
    organization: [organizationReference(consent.custodianMspId)],
    policyRule: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' },
      ],
    },
    provision: {
      type: 'permit',
      period: { start: consent.validFrom, end: consent.validUntil },
      actor: [
        {
          role: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                code: 'IRCP',
                display: 'information recipient',
              },
            ],
          },
          reference: grantee(consent),
        },
      ],
      purpose: [{ display: consent.purpose }],
      provision: provisions,
    },
  };
}
