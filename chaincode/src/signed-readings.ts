import type { Context } from 'fabric-contract-api';
import {
  ChaincodeError,
  parseSignedPayload,
  type ReadingOutcome,
  type SignedReading,
  type VitalAlert,
  verifyReadingSignature,
} from '@careledger/contract';
import type { Caller } from './caller';
import { enrolledKeyOf } from './device-keys';
import { emitAlerts, storeReadings } from './vital-recorder';

/**
 * Readings signed by their devices, relayed in one transaction by an identity of the devices'
 * hospital (the REST gateway batching many devices). Each is checked on its own: its payload,
 * its signature against the key its device enrolled, then everything `Vitals:record` checks
 * with the device as the caller (bound to the patient, the permission matrix, replay or
 * conflict). One that fails is answered with its error and writes nothing; the others are
 * recorded. The relayer can neither forge, alter nor misattribute a reading: what is stored is
 * what the device signed, recorded as by the device.
 */
export async function recordSignedReadings(
  ctx: Context,
  relayer: Caller,
  signed: readonly SignedReading[],
): Promise<ReadingOutcome[]> {
  const seen = new Set<string>();
  const alerts: VitalAlert[] = [];
  const outcomes: ReadingOutcome[] = [];
  for (const [i, s] of signed.entries()) {
    const path = `signedReadings.${i}`;
    let readingId = '';
    try {
      const reading = parseSignedPayload(s.payload, path);
      readingId = reading.readingId;
      // A second write of a key in one transaction would not see the first: refuse the copy.
      if (seen.has(readingId)) {
        throw new ChaincodeError(
          'INVALID_ARGUMENT',
          `${path}: reading ${readingId} appears twice in the batch`,
        );
      }
      seen.add(readingId);
      const { key, publicKey } = await enrolledKeyOf(ctx, relayer.mspId, reading.deviceId, path);
      if (!verifyReadingSignature(s, publicKey)) {
        throw new ChaincodeError(
          'ACCESS_DENIED',
          `${path}.signature: does not verify with the key device ${reading.deviceId} enrolled`,
        );
      }
      const device: Caller = {
        mspId: relayer.mspId,
        orgType: relayer.orgType,
        role: 'device',
        id: key.actorId,
        deviceId: reading.deviceId,
      };
      const stored = await storeReadings(ctx, device, [reading]);
      alerts.push(...stored.alerts);
      outcomes.push({ readingId, receipt: stored.receipts[0] });
    } catch (err) {
      if (!(err instanceof ChaincodeError)) throw err;
      outcomes.push({ readingId, error: { code: err.code, message: err.detail } });
    }
  }
  emitAlerts(ctx, alerts);
  return outcomes;
}
