import { z } from 'zod';
import type { AccessLogEntry } from './assets/access-log-entry';
import type { AlertAcknowledgement } from './assets/alert-acknowledgement';
import type { Actor } from './assets/actor';
import type { Consent } from './assets/consent';
import type { Demographics } from './assets/demographics';
import type { Device } from './assets/device';
import type { LabResult } from './assets/lab-result';
import type { Organization } from './assets/organization';
import type { ConsentVersion, PrescriptionVersion } from './assets/pages';
import type { Patient } from './assets/patient';
import type { Dispensation, Prescription } from './assets/prescription';
import type { Receipt } from './assets/receipt';
import type { RecordResult, VitalSign } from './assets/vital-sign';
import { consentScopes, orgTypes, roles } from './rules/input-schemas';
import { vitalTypes } from './rules/vital-definitions';

/**
 * Schemas of the records the chaincode stores and answers, as clients receive them (the REST
 * gateway's OpenAPI document describes its answers with these). Each is checked at compile time
 * against its asset class below, so a field added to one and not the other does not build.
 * Strict: a field that is not described here is a bug, and the API's contract test reports it.
 */
const at = z.iso.datetime({ offset: true });
const txId = z.string().regex(/^[0-9a-f]{64}$/);
const flag = z.enum(['normal', 'watch', 'abnormal', 'critical']);

export const actorRecord = z.strictObject({
  mspId: z.string(),
  role: z.string().meta({ description: `One of ${roles.join(', ')} (by organisation type)` }),
  /** The identity's ID: a SHA-256 of its certificate's subject and issuer, never a name. */
  id: z.string(),
});

export const organizationRecord = z.strictObject({
  mspId: z.string(),
  type: z.enum(orgTypes),
  name: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const patientRecord = z.strictObject({
  patientId: z.string(),
  custodianMspId: z.string(),
  status: z.string(),
  createdAt: at,
});

export const demographicsRecord = z.strictObject({
  name: z.string(),
  birthDate: z.iso.date(),
  sex: z.string(),
  contact: z
    .strictObject({
      phone: z.string().optional(),
      email: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  insurance: z.strictObject({ provider: z.string(), policyNumber: z.string() }).optional(),
  emergencyContact: z
    .strictObject({ name: z.string(), phone: z.string(), relationship: z.string().optional() })
    .optional(),
  allergies: z.array(z.string()).optional(),
});

export const deviceRecord = z.strictObject({
  deviceId: z.string(),
  type: z.string(),
  orgMspId: z.string(),
  patientId: z.string().optional(),
  boundAt: at.optional(),
  registeredAt: at,
});

export const receiptRecord = z.strictObject({
  id: z.string(),
  patientId: z.string().optional(),
  custodianMspId: z.string(),
  at,
  by: actorRecord,
  txId,
  replayed: z.boolean(),
  status: z.string().optional(),
  deviceId: z.string().optional(),
  consentId: z.string().optional(),
  news2Score: z.number().int().min(0).max(3).optional(),
  flag: flag.optional(),
  validUntil: at.optional(),
});

export const vitalSignRecord = z.strictObject({
  readingId: z.string(),
  patientId: z.string(),
  custodianMspId: z.string(),
  deviceId: z.string().optional(),
  type: z.enum(vitalTypes),
  loinc: z.string(),
  unit: z.string(),
  value: z.number().optional().meta({ description: 'Every type but bloodPressure' }),
  systolic: z.number().optional().meta({ description: 'bloodPressure only' }),
  diastolic: z.number().optional().meta({ description: 'bloodPressure only' }),
  observedAt: at,
  recordedAt: at,
  recordedBy: actorRecord,
  txId,
  news2Score: z.number().int().min(0).max(3),
  direction: z.enum(['low', 'high', 'none']),
  flag,
});

export const alertAcknowledgementRecord = z.strictObject({
  readingId: z.string(),
  patientId: z.string(),
  custodianMspId: z.string(),
  news2Score: z.number().int().min(2).max(3),
  flag: z.enum(['abnormal', 'critical']),
  acknowledgedAt: at,
  acknowledgedBy: actorRecord,
  txId,
});

export const recordResultRecord = z.strictObject({
  reading: vitalSignRecord,
  /** The same reading was on the ledger already: nothing was written. */
  replayed: z.boolean(),
});

export const consentRecord = z.strictObject({
  consentId: z.string(),
  patientId: z.string(),
  custodianMspId: z.string(),
  granteeMspId: z.string(),
  granteeRole: z.string().optional(),
  scopes: z.array(z.enum(consentScopes)),
  purpose: z.string(),
  validFrom: at,
  validUntil: at,
  status: z.enum(['active', 'revoked']),
  grantedBy: actorRecord,
  onBehalfOfPatient: z.boolean(),
  grantedAt: at,
  revokedAt: at.optional(),
  revokedBy: actorRecord.optional(),
  revokedTxId: txId.optional(),
});

export const labResultRecord = z.strictObject({
  resultId: z.string(),
  patientId: z.string(),
  custodianMspId: z.string(),
  labMspId: z.string(),
  loinc: z.string(),
  display: z.string().optional(),
  value: z.number().optional().meta({ description: 'A numeric result' }),
  valueText: z.string().optional().meta({ description: "A textual result such as 'positive'" }),
  unit: z.string(),
  price: z.strictObject({ amount: z.number(), currency: z.string() }).optional(),
  observedAt: at,
  recordedAt: at,
  recordedBy: actorRecord,
  consentId: z.string(),
});

export const prescriptionRecord = z.strictObject({
  prescriptionId: z.string(),
  patientId: z.string(),
  custodianMspId: z.string(),
  atc: z.string(),
  medication: z.string(),
  dosage: z.string(),
  quantity: z.number().int(),
  dispensedQuantity: z.number().int(),
  prescribedAt: at,
  prescribedBy: actorRecord,
});

export const dispensationRecord = z.strictObject({
  dispensationId: z.string(),
  prescriptionId: z.string(),
  patientId: z.string(),
  custodianMspId: z.string(),
  pharmacyMspId: z.string(),
  quantity: z.number().int(),
  dispensedAt: at,
  dispensedBy: actorRecord,
  consentId: z.string(),
});

export const accessLogEntryRecord = z.strictObject({
  patientId: z.string(),
  custodianMspId: z.string(),
  txId,
  at,
  accessor: actorRecord,
  action: z.string(),
  scope: z.string(),
  basis: z.string(),
  consentId: z.string().optional(),
  validUntil: at.optional(),
});

const versionOf = <T extends z.ZodType>(value: T) =>
  z.strictObject({ txId, timestamp: at, isDelete: z.boolean(), value: value.optional() });
export const consentVersionRecord = versionOf(consentRecord);
export const prescriptionVersionRecord = versionOf(prescriptionRecord);

// Compile-time: each schema describes exactly its asset type (both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Describes<S extends z.ZodType, T> = Same<z.output<S>, T>;
const describes = <_ extends true>(): void => undefined;
describes<Describes<typeof actorRecord, Actor>>();
describes<Describes<typeof organizationRecord, Organization>>();
describes<Describes<typeof patientRecord, Patient>>();
describes<Describes<typeof demographicsRecord, Demographics>>();
describes<Describes<typeof deviceRecord, Device>>();
describes<Describes<typeof receiptRecord, Receipt>>();
describes<Describes<typeof vitalSignRecord, VitalSign>>();
describes<Describes<typeof recordResultRecord, RecordResult>>();
describes<Describes<typeof alertAcknowledgementRecord, AlertAcknowledgement>>();
describes<Describes<typeof consentRecord, Consent>>();
describes<Describes<typeof labResultRecord, LabResult>>();
describes<Describes<typeof prescriptionRecord, Prescription>>();
describes<Describes<typeof dispensationRecord, Dispensation>>();
describes<Describes<typeof accessLogEntryRecord, AccessLogEntry>>();
describes<Describes<typeof consentVersionRecord, ConsentVersion>>();
describes<Describes<typeof prescriptionVersionRecord, PrescriptionVersion>>();
