import type { Demographics, PatientRef } from '@careledger/contract';
import type { ContactPoint, Patient } from '@medplum/fhirtypes';
import { organizationReference, patientFhirId } from './fhir-references';
import { patientIdSystem } from './fhir-terms';

/**
 * A patient's demographics, as the ledger answered them to the caller, as a FHIR R4 Patient:
 * `name.text`, `gender` (the same four codes), `birthDate`, `telecom` (phone, email),
 * `address.text`, the emergency contact as `contact` (its relationship as text),
 * `managingOrganization` the custodian, and the pseudonymous id as `identifier`. Insurance and
 * allergies are not Patient elements in FHIR (Coverage, AllergyIntolerance, not served) and are
 * left out. Only ever built from an answer of `Patients:readDemographics`: there is no Patient
 * without the demographics the ledger let the caller read.
 */
export function patientOf(ref: PatientRef, demographics: Demographics): Patient {
  const id = patientFhirId(ref.custodianMspId, ref.patientId);
  const { contact, emergencyContact } = demographics;
  const telecom: ContactPoint[] = [
    ...(contact?.phone === undefined ? [] : [{ system: 'phone' as const, value: contact.phone }]),
    ...(contact?.email === undefined ? [] : [{ system: 'email' as const, value: contact.email }]),
  ];
  return {
    resourceType: 'Patient',
    ...(id === undefined ? {} : { id }),
    identifier: [{ system: patientIdSystem(ref.custodianMspId), value: ref.patientId }],
    name: [{ text: demographics.name }],
    ...(telecom.length === 0 ? {} : { telecom }),
    gender: demographics.sex as Patient['gender'],
    birthDate: demographics.birthDate,
    ...(contact?.address === undefined ? {} : { address: [{ text: contact.address }] }),
    ...(emergencyContact === undefined
      ? {}
      : {
          contact: [
            {
              ...(emergencyContact.relationship === undefined
                ? {}
                : { relationship: [{ text: emergencyContact.relationship }] }),
              name: { text: emergencyContact.name },
              telecom: [{ system: 'phone', value: emergencyContact.phone }],
            },
          ],
        }),
    managingOrganization: organizationReference(ref.custodianMspId),
  };
}
