import type { LabResult } from '@careledger/contract';
import type { Observation } from '@medplum/fhirtypes';
import { encodeFhirId } from './fhir-id';
import { actorReference, organizationReference, patientReference } from './fhir-references';
import { fhirSystem, labResultIdSystem } from './fhir-terms';

/**
 * The FHIR id of a lab result: `<custodian>.<patient>.<lab>.<result>` (four parts; a reading's
 * has three). Result ids are unique per lab, so the lab is part of it. Undefined past 64
 * characters.
 */
export function labObservationId(
  result: Pick<LabResult, 'custodianMspId' | 'patientId' | 'labMspId' | 'resultId'>,
): string | undefined {
  return encodeFhirId([result.custodianMspId, result.patientId, result.labMspId, result.resultId]);
}

/**
 * A stored lab result as a FHIR R4 Observation of category `laboratory`: the LOINC code (and
 * the lab's display), `valueQuantity` `{value, unit}` for a number or `valueString` for a text
 * result, `effectiveDateTime` = observedAt, `issued` = recordedAt, `performer` the lab and the
 * technician's identity, `identifier` = the result id in the lab's system. The unit is as the
 * lab wrote it; the ledger does not check it against UCUM, so it is `Quantity.unit` without a
 * coded system. The price and the consent the lab wrote under are not mapped.
 */
export function labObservationOf(result: LabResult): Observation {
  const id = labObservationId(result);
  const display = result.display;
  const value: Pick<Observation, 'valueQuantity' | 'valueString'> =
    result.value !== undefined
      ? { valueQuantity: { value: result.value, ...(result.unit === '' ? {} : { unit: result.unit }) } }
      : { valueString: result.valueText ?? '' };
  return {
    resourceType: 'Observation',
    ...(id === undefined ? {} : { id }),
    meta: { lastUpdated: result.recordedAt },
    identifier: [{ system: labResultIdSystem(result.labMspId), value: result.resultId }],
    status: 'final',
    category: [
      {
        coding: [{ system: fhirSystem.observationCategory, code: 'laboratory', display: 'Laboratory' }],
        text: 'Laboratory',
      },
    ],
    code: {
      coding: [
        { system: fhirSystem.loinc, code: result.loinc, ...(display === undefined ? {} : { display }) },
      ],
      ...(display === undefined ? {} : { text: display }),
    },
    subject: patientReference(result.custodianMspId, result.patientId),
    effectiveDateTime: result.observedAt,
    issued: result.recordedAt,
    performer: [organizationReference(result.labMspId), actorReference(result.recordedBy)],
    ...value,
  };
}
