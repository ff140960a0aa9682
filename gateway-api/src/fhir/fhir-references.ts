import type { Actor } from '@careledger/contract';
import type { Device, Organization, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import { encodeFhirId } from './fhir-id';
import { deviceIdSystem, fhirSystem, identitySystem, patientIdSystem } from './fhir-terms';

/** The FHIR id of a patient: `<custodian>.<patient>`; undefined past 64 characters. */
export function patientFhirId(custodianMspId: string, patientId: string): string | undefined {
  return encodeFhirId([custodianMspId, patientId]);
}

/** A reference to a patient: by id when it fits FHIR's 64 characters, and always by identifier. */
export function patientReference(custodianMspId: string, patientId: string): Reference<Patient> {
  const id = patientFhirId(custodianMspId, patientId);
  return {
    ...(id === undefined ? {} : { reference: `Patient/${id}` }),
    type: 'Patient',
    identifier: { system: patientIdSystem(custodianMspId), value: patientId },
  };
}

/** The FHIR id of a device: `<organisation>.<device>`; undefined past 64 characters. */
export function deviceFhirId(orgMspId: string, deviceId: string): string | undefined {
  return encodeFhirId([orgMspId, deviceId]);
}

/** A reference to a device of an organisation, by id when it fits and always by identifier. */
export function deviceReference(orgMspId: string, deviceId: string): Reference<Device> {
  const id = deviceFhirId(orgMspId, deviceId);
  return {
    ...(id === undefined ? {} : { reference: `Device/${id}` }),
    type: 'Device',
    identifier: { system: deviceIdSystem(orgMspId), value: deviceId },
  };
}

/**
 * A logical reference to an organisation of the network by its MSP ID (Organization is not
 * served: the registry is /api/v1/organizations).
 */
export function organizationReference(mspId: string): Reference<Organization> {
  return {
    type: 'Organization',
    identifier: { system: fhirSystem.organization, value: mspId },
    display: mspId,
  };
}

/**
 * A logical reference to the identity that did something: its certificate id within its
 * organisation, and its role (the ledger names no person).
 */
export function actorReference(actor: Actor): Reference<Practitioner> {
  return {
    type: 'Practitioner',
    identifier: { system: identitySystem(actor.mspId), value: actor.id },
    display: `${actor.role} of ${actor.mspId}`,
  };
}
