import type { ReadingInput, SignedReading } from '@careledger/contract';

/**
 * Where an accepted submission is: `queued` (on the gateway's disk, not yet committed),
 * `committed` (on the ledger, exactly once), `refused` (the ledger said no; nothing was written).
 */
export type SubmissionState = 'queued' | 'committed' | 'refused';

/** The readings of one asynchronous request, as the intake keeps them until they commit. */
export interface QueuedSubmission {
  readonly submissionId: string;
  /** Wallet identity that sent it: the transaction is signed as this identity. */
  readonly identity: string;
  readonly mspId: string;
  /** `POST /vitals/batch` (one transaction for all) or `POST /vitals` (one reading). */
  readonly batch: boolean;
  readonly readings: readonly ReadingInput[];
  /**
   * The readings as their devices signed them (`POST /vitals/signed`): these are what is sent,
   * each in a transaction shared with other devices' readings; `readings` are their payloads.
   */
  readonly signed?: readonly SignedReading[];
  readonly acceptedAt: string;
}

/** What a route hands the intake: readings, or readings signed by their devices. */
export interface IntakeRequest {
  readonly readings?: readonly ReadingInput[];
  readonly signed?: readonly SignedReading[];
  /** `POST /vitals/batch`: one transaction for all. */
  readonly batch: boolean;
}

/** What the status URL shows; it holds ids only, never the readings' values. */
export interface SubmissionStatus {
  readonly submissionId: string;
  readonly state: SubmissionState;
  readonly identity: string;
  readonly mspId: string;
  readonly acceptedAt: string;
  readonly readings: readonly { readonly readingId: string; readonly patientId: string }[];
  /** Organisation holding the readings on the ledger (the device's custodian), once committed. */
  readonly custodianMspId?: string;
  readonly transactionId?: string;
  readonly blockNumber?: string;
  /** The ledger held every reading already (a resend): nothing new was written. */
  readonly replayed?: boolean;
  readonly settledAt?: string;
  /** Why the ledger refused it. */
  readonly error?: { readonly code: string; readonly message: string };
  /** Ledger attempts so far (retries after outages included). */
  readonly attempts: number;
}

/** Where a client polls an accepted submission. */
export function submissionStatusUrl(submissionId: string): string {
  return `/api/v1/submissions/${submissionId}`;
}

/** The status of a submission just accepted. */
export function queuedStatus(s: QueuedSubmission): SubmissionStatus {
  return {
    submissionId: s.submissionId,
    state: 'queued',
    identity: s.identity,
    mspId: s.mspId,
    acceptedAt: s.acceptedAt,
    readings: s.readings.map((r) => ({ readingId: r.readingId, patientId: r.patientId })),
    attempts: 0,
  };
}
