import type { VitalType } from './vital-type';

/**
 * One vital-sign reading as a device sends it: the body of `POST /api/v1/vitals` and the
 * transient `reading` input of `Vitals:record`. `readingId` is the idempotency key. The chaincode
 * derives the LOINC code from the type (its schema refuses extra fields).
 */
export interface Reading {
  readonly readingId: string;
  readonly patientId: string;
  readonly deviceId: string;
  readonly type: VitalType;
  readonly unit: string;
  /** Single-valued types. */
  readonly value?: number;
  /** Blood pressure. */
  readonly systolic?: number;
  readonly diastolic?: number;
  /** ISO 8601 instant the device measured it. */
  readonly observedAt: string;
}
