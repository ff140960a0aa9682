import { TransientKey, type ReadingOutcome, type SignedReading } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { invoke, type LedgerAnswer } from './ledger-call';
import type { CallOptions, LedgerClient } from './ledger-client';

export interface BatchingOptions {
  /** Signed readings per transaction at most (the chaincode takes 500). */
  readonly maxBatch: number;
  /** Transactions of one organisation in flight at once; more readings wait and go together. */
  readonly maxInFlight: number;
  /**
   * A reading that would wait behind one that has waited this long (ms) is refused at once
   * (OVERLOADED): the transactions in flight do not keep up, and a longer queue would only make
   * every reading late.
   */
  readonly maxWaitMs: number;
  /** Readings waiting per organisation at most; one more is refused at once (OVERLOADED). */
  readonly maxWaiting: number;
}

interface Waiting {
  readonly since: number;
  readonly readingId: string;
  readonly options: CallOptions;
  readonly signed: SignedReading;
  readonly resolve: (answer: LedgerAnswer<ReadingOutcome>) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Device-signed readings of many callers in one `Vitals:recordSigned` transaction. Batches form
 * by themselves: while fewer than `maxInFlight` transactions of the organisation are in flight a
 * reading goes at once (light traffic keeps single-reading latency); once that many are in
 * flight, readings wait and the next transaction takes all that waited (up to `maxBatch`). So
 * the batch size follows the load, with no timer to tune. Admission is its own: past capacity
 * the queue of waiting readings grows old, and new readings are refused at once (`maxWaitMs`,
 * `maxWaiting`) rather than made late. A transaction is relayed by the
 * identity of one of its callers (any identity of the hospital may relay: the chaincode checks
 * each device's signature, so no caller can pass off another's reading), and each caller gets
 * its own reading's outcome.
 */
export class SignedReadingBatcher {
  readonly #ledger: LedgerClient;
  readonly #options: BatchingOptions;
  readonly #byOrganisation = new Map<string, { waiting: Waiting[]; inFlight: number }>();

  constructor(ledger: LedgerClient, options: BatchingOptions) {
    this.#ledger = ledger;
    this.#options = options;
  }

  /**
   * Records one signed reading (whose payload names `readingId`), in a transaction shared with
   * other callers of the organisation.
   */
  record(
    options: CallOptions,
    readingId: string,
    signed: SignedReading,
  ): Promise<LedgerAnswer<ReadingOutcome>> {
    const org = this.#org(options.mspId);
    const now = performance.now();
    const oldest = org.waiting[0];
    if (
      org.waiting.length >= this.#options.maxWaiting ||
      (oldest !== undefined && now - oldest.since > this.#options.maxWaitMs)
    ) {
      return Promise.reject(
        new ApiError(
          'OVERLOADED',
          `the ledger is at capacity (${org.waiting.length} signed readings wait for a transaction); retry shortly`,
          {
            details: { retryAfterSeconds: 1 },
          },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      org.waiting.push({ since: now, readingId, options, signed, resolve, reject });
      this.#flush(options.mspId);
    });
  }

  #org(mspId: string) {
    let org = this.#byOrganisation.get(mspId);
    if (!org) {
      org = { waiting: [], inFlight: 0 };
      this.#byOrganisation.set(mspId, org);
    }
    return org;
  }

  #flush(mspId: string): void {
    const org = this.#org(mspId);
    while (org.waiting.length > 0 && org.inFlight < this.#options.maxInFlight) {
      const batch = this.#next(org.waiting);
      org.inFlight += 1;
      void this.#send(batch).finally(() => {
        org.inFlight -= 1;
        this.#flush(mspId);
      });
    }
  }

  /**
   * Takes the next batch off `waiting`, oldest first. A reading id already in it (a client's
   * resend while the first copy waits) stays for the next one: the chaincode refuses a batch's
   * second copy of a reading, and the resend is answered as the replay it is.
   */
  #next(waiting: Waiting[]): Waiting[] {
    const batch: Waiting[] = [];
    const ids = new Set<string>();
    const resends: Waiting[] = [];
    // Only as far as the batch fills: what waits behind it stays where it is.
    let taken = 0;
    for (; taken < waiting.length && batch.length < this.#options.maxBatch; taken++) {
      const w = waiting[taken] as Waiting;
      if (ids.has(w.readingId)) resends.push(w);
      else {
        batch.push(w);
        ids.add(w.readingId);
      }
    }
    waiting.splice(0, taken, ...resends);
    return batch;
  }

  async #send(batch: readonly Waiting[]): Promise<void> {
    const relayer = batch[0]!.options;
    try {
      const answer = await invoke<ReadingOutcome[]>(
        this.#ledger,
        { identity: relayer.identity, mspId: relayer.mspId },
        {
          transaction: 'Vitals:recordSigned',
          transient: { [TransientKey.signedReadings]: JSON.stringify(batch.map((w) => w.signed)) },
          endorsingOrganizations: [relayer.mspId],
          // Every reading already on the ledger (a resend): nothing to submit.
          alreadyOnLedger: (outcomes) =>
            Array.isArray(outcomes) &&
            outcomes.every((o) => (o as ReadingOutcome).receipt?.replayed === true),
        },
      );
      batch.forEach((w, i) => {
        const outcome = answer.value[i];
        if (outcome === undefined) w.reject(new Error(`the ledger answered no outcome for reading ${i}`));
        else w.resolve({ ...answer, value: outcome });
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
