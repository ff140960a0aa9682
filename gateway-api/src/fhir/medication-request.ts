import type { Prescription } from '@careledger/contract';
import type { MedicationRequest } from '@medplum/fhirtypes';
import { encodeFhirId } from './fhir-id';
import { actorReference, patientReference } from './fhir-references';
import { fhirSystem, prescriptionIdSystem } from './fhir-terms';

/** The FHIR id of a prescription: `<custodian>.<patient>.<prescription>`; undefined past 64 characters. */
export function medicationRequestId(
  prescription: Pick<Prescription, 'custodianMspId' | 'patientId' | 'prescriptionId'>,
): string | undefined {
  return encodeFhirId([prescription.custodianMspId, prescription.patientId, prescription.prescriptionId]);
}

/**
 * A prescription's FHIR status from what is left of it: `completed` once the pharmacies have
 * dispensed the whole prescribed quantity, `active` before (also when part of it is dispensed).
 * The ledger has no cancelled or stopped prescription.
 */
export function prescriptionStatus(
  prescription: Pick<Prescription, 'quantity' | 'dispensedQuantity'>,
): 'active' | 'completed' {
  return prescription.dispensedQuantity >= prescription.quantity ? 'completed' : 'active';
}

/**
 * A stored prescription as a FHIR R4 MedicationRequest (intent `order`): the medication as an
 * ATC coding with the prescribed name as its display and text, `dosageInstruction.text` = the
 * dosage, `dispenseRequest.quantity` = the prescribed quantity (a count: the ledger keeps no
 * unit), `status` from the dispensed quantity (`prescriptionStatus`), `authoredOn` and
 * `requester` (the prescribing identity). No `performer`: any pharmacy the patient consents to
 * may dispense it.
 */
export function medicationRequestOf(prescription: Prescription): MedicationRequest {
  const id = medicationRequestId(prescription);
  return {
    resourceType: 'MedicationRequest',
    ...(id === undefined ? {} : { id }),
    identifier: [
      { system: prescriptionIdSystem(prescription.custodianMspId), value: prescription.prescriptionId },
    ],
    status: prescriptionStatus(prescription),
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: fhirSystem.atc, code: prescription.atc, display: prescription.medication }],
      text: prescription.medication,
    },
    subject: patientReference(prescription.custodianMspId, prescription.patientId),
    authoredOn: prescription.prescribedAt,
    requester: actorReference(prescription.prescribedBy),
    dosageInstruction: [{ text: prescription.dosage }],
    dispenseRequest: { quantity: { value: prescription.quantity } },
  };
}
