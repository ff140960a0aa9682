import type { AlertAcknowledgement } from '../assets/alert-acknowledgement';
import type { Consent } from '../assets/consent';
import type { Device } from '../assets/device';
import type { Dispensation, Prescription } from '../assets/prescription';
import type { LabResult } from '../assets/lab-result';
import type { Receipt } from '../assets/receipt';
import type { VitalSign } from '../assets/vital-sign';
import type {
  ConsentGrantInput,
  DeviceInput,
  DispensationInput,
  LabResultInput,
  PrescriptionInput,
  ReadingInput,
} from './input-schemas';
import { ChaincodeError } from '../error-code';
import { classifyReading } from './vital-validation';

/*
 * A stored record is a pure function of its input and the receipt of the transaction that
 * wrote it. The chaincode stores what these build; a client that sent the input (the REST
 * gateway) builds the same record from the receipt, since a submitted transaction's answer,
 * written into every member's blocks, may carry no patient data.
 */

/** The reading as stored. @throws ChaincodeError INVALID_ARGUMENT as classifyReading does. */
export function vitalSignOf(input: ReadingInput, receipt: Receipt): VitalSign {
  const r = classifyReading(input, new Date(receipt.at));
  return {
    readingId: input.readingId,
    patientId: input.patientId,
    custodianMspId: receipt.custodianMspId,
    deviceId: receipt.deviceId,
    type: input.type,
    loinc: r.loinc,
    unit: input.unit,
    value: input.type === 'bloodPressure' ? undefined : input.value,
    systolic: input.type === 'bloodPressure' ? input.systolic : undefined,
    diastolic: input.type === 'bloodPressure' ? input.diastolic : undefined,
    observedAt: r.observedAt,
    recordedAt: receipt.at,
    recordedBy: receipt.by,
    txId: receipt.txId,
    news2Score: r.news2.score,
    direction: r.news2.direction,
    flag: r.flag,
  };
}

export function labResultOf(input: LabResultInput, receipt: Receipt): LabResult {
  const { value, ...rest } = input;
  return {
    ...rest,
    value: typeof value === 'number' ? value : undefined,
    valueText: typeof value === 'string' ? value : undefined,
    observedAt: new Date(input.observedAt).toISOString(),
    labMspId: receipt.by.mspId,
    recordedAt: receipt.at,
    recordedBy: receipt.by,
    consentId: receipt.consentId ?? '',
  };
}

export function prescriptionOf(input: PrescriptionInput, receipt: Receipt): Prescription {
  return {
    ...input,
    custodianMspId: receipt.custodianMspId,
    dispensedQuantity: 0,
    prescribedAt: receipt.at,
    prescribedBy: receipt.by,
  };
}

export function dispensationOf(input: DispensationInput, receipt: Receipt): Dispensation {
  return {
    ...input,
    pharmacyMspId: receipt.by.mspId,
    dispensedAt: receipt.at,
    dispensedBy: receipt.by,
    consentId: receipt.consentId ?? '',
  };
}

/** A device as registered (bound at once when the input names a patient). */
export function deviceOf(input: DeviceInput, receipt: Receipt): Device {
  return {
    deviceId: input.deviceId,
    type: input.type,
    orgMspId: receipt.custodianMspId,
    registeredAt: receipt.at,
    ...(input.patientId === undefined ? {} : { patientId: input.patientId, boundAt: receipt.at }),
  };
}

/** A consent as granted: its id is the granting transaction's. */
export function consentOf(input: ConsentGrantInput, receipt: Receipt): Consent {
  return {
    consentId: receipt.txId,
    patientId: input.patientId,
    custodianMspId: receipt.custodianMspId,
    granteeMspId: input.granteeMspId,
    granteeRole: input.granteeRole,
    scopes: input.scopes,
    purpose: input.purpose,
    validFrom: input.validFrom === undefined ? receipt.at : new Date(input.validFrom).toISOString(),
    validUntil: new Date(input.validUntil).toISOString(),
    status: 'active',
    grantedBy: receipt.by,
    onBehalfOfPatient: receipt.by.role !== 'patient',
    grantedAt: receipt.at,
  };
}

/**
 * An alert's acknowledgement as stored, from the receipt of `Vitals:acknowledge` (for a replay,
 * the first acknowledgement's). @throws ChaincodeError INTERNAL for a receipt of something else.
 */
export function acknowledgementOf(receipt: Receipt): AlertAcknowledgement {
  const { id, patientId, custodianMspId, at, by, txId, news2Score, flag } = receipt;
  if (patientId === undefined || news2Score === undefined || (flag !== 'abnormal' && flag !== 'critical')) {
    throw new ChaincodeError('INTERNAL', `receipt ${id} is not an alert acknowledgement's`);
  }
  return {
    readingId: id,
    patientId,
    custodianMspId,
    news2Score,
    flag,
    acknowledgedAt: at,
    acknowledgedBy: by,
    txId,
  };
}
