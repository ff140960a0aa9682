import { type Actor, type AlertAcknowledgement, ChaincodeError, type VitalSign } from '@careledger/contract';

/** What acknowledging an alert does: write `record`, or answer the one stored (`replayed`). */
export interface AcknowledgementDecision {
  readonly record: AlertAcknowledgement;
  readonly replayed: boolean;
}

/**
 * Acknowledge the alert of `reading` as `by` at `at`: only a reading that raised one (NEWS2
 * sub-score 2 or 3, flag abnormal or critical) has an alert; an alert acknowledged already keeps
 * its first acknowledgement, which is answered again (two clinicians acknowledging at once both
 * see who was first).
 * @throws ChaincodeError PRECONDITION_FAILED for a reading that raised no alert.
 */
export function decideAcknowledgement(
  reading: VitalSign,
  stored: AlertAcknowledgement | undefined,
  by: Actor,
  at: string,
  txId: string,
): AcknowledgementDecision {
  if (reading.flag !== 'abnormal' && reading.flag !== 'critical') {
    throw new ChaincodeError(
      'PRECONDITION_FAILED',
      `reading ${reading.readingId} is ${reading.flag} (NEWS2 sub-score ${reading.news2Score}): it raised no alert to acknowledge`,
    );
  }
  if (stored !== undefined) return { record: stored, replayed: true };
  return {
    record: {
      readingId: reading.readingId,
      patientId: reading.patientId,
      custodianMspId: reading.custodianMspId,
      news2Score: reading.news2Score,
      flag: reading.flag,
      acknowledgedAt: at,
      acknowledgedBy: by,
      txId,
    },
    replayed: false,
  };
}
