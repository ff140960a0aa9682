/** What a `VitalAbnormal` event says of one reading: no value, no type, nothing clinical but the score. */
export interface VitalAlert {
  readonly patientId: string;
  readonly custodianMspId: string;
  readonly readingId: string;
  readonly news2Score: number;
  readonly flag: string;
}
