import type { AccessLogEntry } from '@careledger/contract';
import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';
import { consentFhirId } from './consent-resource';
import { actorReference, organizationReference, patientReference } from './fhir-references';
import { consentIdSystem, fhirSystem } from './fhir-terms';

/**
 * An entry of a patient's access log (another organisation's read, or a dispensation) as a FHIR
 * R4 AuditEvent: `type` `rest`, `subtype` the matrix action (`readVitals`, ...), `action` `R`,
 * `recorded` when the custodian's peer logged it, `period` the window it opened reads for,
 * `outcome` `0` (the ledger logs only what it allowed), the accessing identity as the requesting
 * `agent`, the custodian as `source.observer`, and the patient (with the scope and the basis of
 * the decision as details) and the consent it relied on as `entity`. The id is the transaction
 * id of the entry (64 hex digits, unique); AuditEvents are found by search only.
 */
export function auditEventOf(entry: AccessLogEntry): AuditEvent {
  const consent: AuditEventEntity[] =
    entry.consentId === undefined
      ? []
      : [
          {
            what: {
              ...withId(consentFhirId({ consentId: entry.consentId })),
              type: 'Consent',
              identifier: { system: consentIdSystem(entry.custodianMspId), value: entry.consentId },
            },
            type: { system: 'http://hl7.org/fhir/resource-types', code: 'Consent', display: 'Consent' },
          },
        ];
  return {
    resourceType: 'AuditEvent',
    id: entry.txId,
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
      display: 'RESTful Operation',
    },
    subtype: [{ system: fhirSystem.action, code: entry.action }],
    action: 'R',
    ...(entry.validUntil === undefined ? {} : { period: { start: entry.at, end: entry.validUntil } }),
    recorded: entry.at,
    outcome: '0',
    agent: [
      {
        who: actorReference(entry.accessor),
        requestor: true,
        role: [{ text: entry.accessor.role }],
      },
    ],
    source: {
      observer: organizationReference(entry.custodianMspId),
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    entity: [
      {
        what: patientReference(entry.custodianMspId, entry.patientId),
        type: {
          system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
          code: '1',
          display: 'Person',
        },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
        detail: [
          ...(entry.scope === '' ? [] : [{ type: 'scope', valueString: entry.scope }]),
          { type: 'basis', valueString: entry.basis },
        ],
      },
      ...consent,
    ],
  };
}

const withId = (id: string | undefined) => (id === undefined ? {} : { reference: `Consent/${id}` });
