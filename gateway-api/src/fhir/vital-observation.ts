import { vitalDefinitions, type VitalSign, type VitalType } from '@careledger/contract';
import type { Observation, Quantity } from '@medplum/fhirtypes';
import { encodeFhirId } from './fhir-id';
import { deviceReference, patientReference } from './fhir-references';
import { fhirSystem, readingIdSystem, vitalSignsProfile, vitalTypeProfile } from './fhir-terms';
import { news2Interpretation } from './news2-interpretation';

/** How each UCUM unit reads in `Quantity.unit` (the code is what a machine reads). */
const unitDisplay: Readonly<Record<VitalType, string>> = {
  heartRate: 'beats/minute',
  respiratoryRate: 'breaths/minute',
  spo2: '%',
  bodyTemperature: 'Cel',
  bloodPressure: 'mmHg',
  bloodGlucose: 'mg/dL',
};

const quantity = (value: number, type: VitalType): Quantity => ({
  value,
  unit: unitDisplay[type],
  system: fhirSystem.ucum,
  code: vitalDefinitions[type].unit,
});

/** The FHIR id of a reading: `<custodian>.<patient>.<reading>` (see fhir-id.ts); undefined past 64 characters. */
export function observationId(vital: Pick<VitalSign, 'custodianMspId' | 'patientId' | 'readingId'>) {
  return encodeFhirId([vital.custodianMspId, vital.patientId, vital.readingId]);
}

/**
 * A stored vital-sign reading as a FHIR R4 Observation conforming to the vital-signs profiles
 * (`meta.profile` names them): category `vital-signs`, the LOINC code, a UCUM Quantity (blood
 * pressure: the 85354-9 panel with systolic 8480-6 and diastolic 8462-4 components),
 * `effectiveDateTime` = observedAt, `issued` = recordedAt, subject, device, `identifier` = the
 * reading id, and the NEWS2 sub-score as `interpretation` (news2-interpretation.ts).
 */
export function observationOf(vital: VitalSign): Observation {
  const id = observationId(vital);
  const definition = vitalDefinitions[vital.type];
  const specificProfile = vitalTypeProfile[vital.type];
  const interpretation = news2Interpretation(vital);
  const value: Pick<Observation, 'valueQuantity' | 'component'> =
    vital.type === 'bloodPressure'
      ? {
          component: [
            {
              code: code(vitalDefinitions.bloodPressure.systolic.loinc, 'Systolic blood pressure'),
              valueQuantity: quantity(vital.systolic ?? Number.NaN, vital.type),
              ...(interpretation === undefined ? {} : { interpretation: [interpretation] }),
            },
            {
              code: code(vitalDefinitions.bloodPressure.diastolic.loinc, 'Diastolic blood pressure'),
              valueQuantity: quantity(vital.diastolic ?? Number.NaN, vital.type),
            },
          ],
        }
      : { valueQuantity: quantity(vital.value ?? Number.NaN, vital.type) };
  return {
    resourceType: 'Observation',
    ...(id === undefined ? {} : { id }),
    meta: {
      profile: specificProfile === undefined ? [vitalSignsProfile] : [vitalSignsProfile, specificProfile],
      lastUpdated: vital.recordedAt,
    },
    identifier: [{ system: readingIdSystem(vital.custodianMspId), value: vital.readingId }],
    status: 'final',
    category: [
      {
        coding: [{ system: fhirSystem.observationCategory, code: 'vital-signs', display: 'Vital Signs' }],
        text: 'Vital Signs',
      },
    ],
    code: code(vital.loinc, definition.display),
    subject: patientReference(vital.custodianMspId, vital.patientId),
    effectiveDateTime: vital.observedAt,
    issued: vital.recordedAt,
    ...(vital.deviceId === undefined
      ? {}
      : { device: deviceReference(vital.custodianMspId, vital.deviceId) }),
    ...value,
    ...(interpretation === undefined ? {} : { interpretation: [interpretation] }),
  };
}

function code(loinc: string, display: string) {
  return { coding: [{ system: fhirSystem.loinc, code: loinc, display }], text: display };
}
