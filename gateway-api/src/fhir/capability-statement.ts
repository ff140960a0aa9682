import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { vitalSignsProfile, vitalTypeProfile } from './fhir-terms';

const patientParam = {
  name: 'patient',
  type: 'reference' as const,
  documentation: "Required. Patient/<custodian>.<patient id>, or <patient id> for the caller's own hospital",
};
const fixed = {
  versioning: 'no-version' as const,
  readHistory: false,
  updateCreate: false,
  conditionalCreate: false,
  conditionalRead: 'not-supported' as const,
  conditionalUpdate: false,
  conditionalDelete: 'not-supported' as const,
};
const paging =
  "_count is 1-200 (default 50); next links carry the ledger's bookmark in _cursor; Bundle.total is not given.";

/** A resource type served from one patient's records: read by id and/or searched by patient. */
function recordResource(
  type: CapabilityStatementRestResource['type'],
  interactions: readonly ('read' | 'search-type')[],
  documentation: string,
  ownPatientsOnly = false,
): CapabilityStatementRestResource {
  return {
    type,
    documentation,
    interaction: interactions.map((code) => ({ code })),
    ...fixed,
    ...(interactions.includes('search-type')
      ? {
          searchParam: [
            {
              ...patientParam,
              ...(ownPatientsOnly
                ? {
                    documentation:
                      "Required: a patient of the caller's own hospital (the ledger keeps these at the custodian only)",
                  }
                : {}),
            },
          ],
        }
      : {}),
  };
}

/**
 * What `/fhir/R4` implements, and nothing else: Observation (vital signs and lab results) read
 * and search, create of vital signs and transaction/batch Bundles of them; Patient and Device
 * read; MedicationRequest read and search; Consent and AuditEvent search. Every
 * other resource type is not served.
 */
export function capabilityStatement(options: {
  readonly baseUrl: string;
  readonly version: string;
  readonly date: string;
}): CapabilityStatement {
  const profiles = Object.values(vitalTypeProfile).filter((p) => p !== undefined);
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: 'CareLedger',
    kind: 'instance',
    software: { name: 'CareLedger gateway', version: options.version },
    implementation: {
      description: 'CareLedger: vital signs on a permissioned Hyperledger Fabric ledger',
      url: options.baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          "Access is decided by the ledger exactly as for /api/v1: the permission matrix, the patient's consents, and for another organisation's read a logged access request first.",
        security: {
          description:
            'The API key of the REST API (X-API-Key: clk_..., or Authorization: Bearer clk_...), or a bearer JWT where the gateway is configured for them. metadata needs none.',
        },
        resource: [
          {
            type: 'Observation',
            profile: vitalSignsProfile,
            supportedProfile: profiles,
            documentation:
              "Vital signs (category vital-signs, ids '<custodian MSP ID>.<patient id>.<reading id>') and lab results (category laboratory, ids '<custodian>.<patient>.<lab MSP ID>.<result id>'). A search needs patient; without category it gives the vital signs first, then the lab results (a part the ledger refuses is left out with an OperationOutcome of severity warning, search mode outcome); _count is 1-200 (default 50); _sort takes 'date' only and only for vital signs (the ledger's order, oldest first; lab results are kept by lab and id); next links carry the ledger's bookmark in _cursor; Bundle.total is not given. Create takes vital signs only and is idempotent by identifier (urn:careledger:<MSP ID>:reading): a resend answers 200 with the stored reading, other content under the same identifier 409.",
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }],
            ...fixed,
            searchParam: [
              { ...patientParam, definition: 'http://hl7.org/fhir/SearchParameter/clinical-patient' },
              {
                name: 'category',
                type: 'token',
                definition: 'http://hl7.org/fhir/SearchParameter/Observation-category',
                documentation: 'vital-signs or laboratory (observation-category); none: both',
              },
              {
                name: 'code',
                type: 'token',
                definition: 'http://hl7.org/fhir/SearchParameter/clinical-code',
                documentation:
                  'LOINC codes (system|code or code): the vital signs named, and lab results of those codes',
              },
              {
                name: 'date',
                type: 'date',
                definition: 'http://hl7.org/fhir/SearchParameter/clinical-date',
                documentation: 'Prefixes eq, ge, gt, le, lt; a date without a time is a UTC day',
              },
            ],
          },
          recordResource(
            'Patient',
            ['read'],
            "Demographics (Patients:readDemographics): answered only to whom the ledger answers them (the custodian's staff, the patient, another hospital's doctor or nurse with a demographics consent); otherwise its refusal. Ids '<custodian>.<patient id>'. Insurance and allergies are not mapped.",
          ),
          recordResource(
            'Device',
            ['read'],
            "The devices registry (Devices:get): a device of the caller's own organisation. Ids '<organisation>.<device id>'.",
          ),
          recordResource(
            'MedicationRequest',
            ['read', 'search-type'],
            `Prescriptions (read: Prescriptions:history, the newest version; search: Prescriptions:query). ATC coding; status completed once the whole quantity is dispensed, else active. Ids '<custodian>.<patient>.<prescription id>'. ${paging}`,
          ),
          recordResource(
            'Consent',
            ['search-type'],
            `A patient's consents (Consents:list), each scope a nested permit provision. Ids are the consent ids (the granting transaction's id: with custodian and patient it would pass FHIR's 64 characters, so there is no read by id). ${paging}`,
            true,
          ),
          recordResource(
            'AuditEvent',
            ['search-type'],
            `The patient's access log (AccessLog:list): every read by another organisation, and dispensations. Ids are the entries' transaction ids. ${paging}`,
            true,
          ),
        ],
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
