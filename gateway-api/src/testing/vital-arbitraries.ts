import { vitalDefinitions, type ReadingInput, type Receipt } from '@careledger/contract';
import fc from 'fast-check';

const idChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-';
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A CareLedger id (`idSchema`: a letter or digit, then letters, digits, `._:@-`), at most `max` long. */
export const arbId = (max = 20) =>
  fc
    .tuple(
      fc.constantFrom(...alnum),
      fc.array(fc.constantFrom(...idChars), { maxLength: max - 1 }).map((c) => c.join('')),
    )
    .map(([first, rest]) => first + rest);

/** An MSP ID (`mspIdSchema`). */
export const arbMspId = fc
  .tuple(
    fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'),
    fc.stringMatching(/^[A-Za-z0-9.-]{0,14}$/),
  )
  .map(([first, rest]) => first + rest);

/** An observation time between 1990 and 2090, ISO 8601 in UTC with milliseconds (as the ledger stores it). */
export const arbObservedAt = fc
  .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

const inRange = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min, max }),
    fc.double({ min, max, noNaN: true }).map((v) => Math.round(v * 10) / 10),
  );

/** A reading the ledger accepts (every type, in its unit and plausible range), of `patientId` when given. */
export function arbReading(patientId?: string): fc.Arbitrary<ReadingInput> {
  const base = fc.record(
    {
      readingId: arbId(24),
      patientId: patientId === undefined ? arbId(16) : fc.constant(patientId),
      deviceId: arbId(16),
      observedAt: arbObservedAt,
    },
    { requiredKeys: ['readingId', 'patientId', 'observedAt'] },
  );
  const scalar = (type: 'heartRate' | 'respiratoryRate' | 'spo2' | 'bodyTemperature' | 'bloodGlucose') => {
    const d = vitalDefinitions[type];
    return fc
      .tuple(base, inRange(d.min, d.max))
      .map(([b, value]): ReadingInput => ({ ...b, type, value, unit: d.unit }));
  };
  const bp = vitalDefinitions.bloodPressure;
  const bloodPressure = fc
    .tuple(base, fc.integer({ min: bp.diastolic.min + 1, max: bp.systolic.max }))
    .chain(([b, systolic]) =>
      fc
        .integer({ min: bp.diastolic.min, max: Math.min(bp.diastolic.max, systolic - 1) })
        .map((diastolic): ReadingInput => ({
          ...b,
          type: 'bloodPressure',
          systolic,
          diastolic,
          unit: bp.unit,
        })),
    )
    .filter((r) => r.type === 'bloodPressure' && r.systolic >= bp.systolic.min);
  return fc.oneof(
    scalar('heartRate'),
    scalar('respiratoryRate'),
    scalar('spo2'),
    scalar('bodyTemperature'),
    scalar('bloodGlucose'),
    bloodPressure,
  );
}

/** The receipt the ledger answers for `reading` at `custodianMspId`: the device it is attributed to is the one it names. */
export function receiptFor(reading: ReadingInput, custodianMspId: string): Receipt {
  return {
    id: reading.readingId,
    patientId: reading.patientId,
    custodianMspId,
    at: '2091-01-01T00:00:00.000Z',
    by: { mspId: custodianMspId, role: reading.deviceId === undefined ? 'nurse' : 'device', id: 'x509-hash' },
    txId: 'a'.repeat(64),
    replayed: false,
    deviceId: reading.deviceId,
  };
}
