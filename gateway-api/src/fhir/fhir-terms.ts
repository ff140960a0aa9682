import type { VitalType } from '@careledger/contract';

/** Code systems and profiles the FHIR interface names. */
export const fhirSystem = {
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  /** WHO's Anatomical Therapeutic Chemical classification, as FHIR names it. */
  atc: 'http://www.whocc.no/atc',
  /** MSP IDs: CareLedger's organisations (`Organization.identifier`). */
  organization: 'urn:careledger:organization',
  /** The consent scopes of the ledger (`demographics`, `vitals`, `labResults`, `prescriptions`). */
  consentScope: 'urn:careledger:consent-scope',
  /** The actions of the permission matrix (`readVitals`, `dispense`, ...), in AuditEvent.subtype. */
  action: 'urn:careledger:action',
  /** The gateway's error codes (`errorCatalog`), in an OperationOutcome's `issue.details`. */
  errorCode: 'urn:careledger:error-code',
} as const;

/** `Identifier.system` of the reading ids of one custodian (they are unique per custodian). */
export const readingIdSystem = (custodianMspId: string) => `urn:careledger:${custodianMspId}:reading`;
/** `Identifier.system` of the patient ids of one custodian. */
export const patientIdSystem = (custodianMspId: string) => `urn:careledger:${custodianMspId}:patient`;
/** `Identifier.system` of the device ids of one organisation. */
export const deviceIdSystem = (orgMspId: string) => `urn:careledger:${orgMspId}:device`;
/** `Identifier.system` of a lab's result ids (unique per lab). */
export const labResultIdSystem = (labMspId: string) => `urn:careledger:${labMspId}:lab-result`;
/** `Identifier.system` of the prescription ids of one custodian. */
export const prescriptionIdSystem = (custodianMspId: string) =>
  `urn:careledger:${custodianMspId}:prescription`;
/** `Identifier.system` of the consent ids of one custodian. */
export const consentIdSystem = (custodianMspId: string) => `urn:careledger:${custodianMspId}:consent`;
/** `Identifier.system` of the identities (certificate ids) of one organisation's members. */
export const identitySystem = (mspId: string) => `urn:careledger:${mspId}:identity`;

const profile = (name: string) => `http://hl7.org/fhir/StructureDefinition/${name}`;
/** The R4 vital-signs profile every vital-sign Observation conforms to. */
export const vitalSignsProfile = profile('vitalsigns');

/**
 * The specific R4 vital-signs profile of each type. Blood glucose has none: it conforms to the
 * generic vital-signs profile only (its LOINC code is outside the profiles' value set, which
 * the profile's extensible binding allows).
 */
export const vitalTypeProfile: Readonly<Record<VitalType, string | undefined>> = {
  heartRate: profile('heartrate'),
  respiratoryRate: profile('resprate'),
  spo2: profile('oxygensat'),
  bodyTemperature: profile('bodytemp'),
  bloodPressure: profile('bp'),
  bloodGlucose: undefined,
};

/**
 * LOINC codes that name a vital type on input and in `code` searches. Every type's own code
 * (`vitalDefinitions`), and 59408-5 (oxygen saturation by pulse oximetry), which a pulse oximeter
 * may send beside or instead of 2708-6; readings are answered with 2708-6, as the profile requires.
 */
export const loincAliases: Readonly<Record<string, VitalType>> = { '59408-5': 'spo2' };
