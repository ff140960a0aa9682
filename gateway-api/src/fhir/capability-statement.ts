import type { CapabilityStatement } from '@medplum/fhirtypes';
import { vitalSignsProfile, vitalTypeProfile } from './fhir-terms';

/**
 * What `/fhir/R4` implements, and nothing else: Observation (vital signs) read, search and
 * create, and transaction/batch Bundles of Observations. Every other resource type is not served.
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
              "Vital signs only (category vital-signs). Ids are '<custodian MSP ID>.<patient id>.<reading id>'. A search needs patient; _count is 1-200 (default 50), _sort takes 'date' only (the ledger's order, oldest first); next links carry the ledger's bookmark in _cursor; Bundle.total is not given. Create is idempotent by identifier (urn:careledger:<MSP ID>:reading): a resend answers 200 with the stored reading, other content under the same identifier 409.",
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }],
            versioning: 'no-version',
            readHistory: false,
            updateCreate: false,
            conditionalCreate: false,
            conditionalRead: 'not-supported',
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            searchParam: [
              {
                name: 'patient',
                type: 'reference',
                definition: 'http://hl7.org/fhir/SearchParameter/clinical-patient',
                documentation:
                  "Required. Patient/<custodian>.<patient id>, or <patient id> for the caller's own hospital",
              },
              {
                name: 'category',
                type: 'token',
                definition: 'http://hl7.org/fhir/SearchParameter/Observation-category',
              },
              {
                name: 'code',
                type: 'token',
                definition: 'http://hl7.org/fhir/SearchParameter/clinical-code',
                documentation: 'LOINC codes of the vital signs (system|code or code)',
              },
              {
                name: 'date',
                type: 'date',
                definition: 'http://hl7.org/fhir/SearchParameter/clinical-date',
                documentation: 'Prefixes eq, ge, gt, le, lt; a date without a time is a UTC day',
              },
            ],
          },
        ],
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
