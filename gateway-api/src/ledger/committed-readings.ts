import {
  alertAcknowledgementRecord,
  implicitCollection,
  vitalSignRecord,
  type VitalType,
} from '@careledger/contract';
import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { Logger } from 'pino';
import type { LedgerClient, PrivateDataBlock, PrivateWrite } from './ledger-client';

/**
 * That a reading was committed, by id only: what the gateway pushes to a subscriber, who then
 * reads the reading itself through the API (and so through the chaincode's decision).
 */
export interface ReadingNotice {
  readonly patientId: string;
  readonly readingId: string;
  readonly type: VitalType;
  readonly custodianMspId: string;
}

/** That a reading's alert was acknowledged, by id only (the subscriber reads who and when). */
export interface AcknowledgementNotice {
  readonly patientId: string;
  readonly readingId: string;
  readonly custodianMspId: string;
}

/** What a committed private write tells a subscriber. */
export type CommittedNotice =
  | { readonly kind: 'reading'; readonly notice: ReadingNotice }
  | { readonly kind: 'acknowledgement'; readonly notice: AcknowledgementNotice };

/** A subscriber of its organisation's committed readings. */
export interface ReadingSubscriber {
  /** The wallet identity the organisation's stream may be opened with. */
  readonly identity: string;
  readonly mspId: string;
  readonly onNotice: (committed: CommittedNotice) => void;
}

/**
 * Each organisation's committed readings, from its own peer's private data: one stream per
 * organisation however many subscribe, opened with the first subscriber and closed with the last.
 */
export interface CommittedReadings {
  /** Resolves once the organisation's stream is open; the function returned unsubscribes. */
  subscribe(subscriber: ReadingSubscriber): Promise<() => void>;
  close(): void;
}

export interface CommittedReadingsOptions {
  readonly ledger: LedgerClient;
  readonly logger: Logger;
  /** Wait before a stream that broke is opened again (from the block after the last one seen). */
  readonly reopenMs?: number;
}

/**
 * What a private write stores, as a notice, or undefined: the chaincode writes every reading as
 * a `VitalSign` record and every alert acknowledgement as an `AlertAcknowledgement` (each with
 * a salt) to the custodian's implicit collection (docs/contract-api.md); its other private
 * records (the reading-id index, consents, devices…) match neither schema.
 */
export function committedNoticeOf(write: PrivateWrite, custodianMspId: string): CommittedNotice | undefined {
  if (write.collection !== implicitCollection(custodianMspId) || write.value[0] !== 0x7b) return undefined;
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(Buffer.from(write.value).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { salt: _salt, ...record } = stored;
  const reading = vitalSignRecord.safeParse(record);
  if (reading.success) {
    if (reading.data.custodianMspId !== custodianMspId) return undefined;
    const { patientId, readingId, type } = reading.data;
    return { kind: 'reading', notice: { patientId, readingId, type, custodianMspId } };
  }
  const ack = alertAcknowledgementRecord.safeParse(record);
  if (!ack.success || ack.data.custodianMspId !== custodianMspId) return undefined;
  const { patientId, readingId } = ack.data;
  return { kind: 'acknowledgement', notice: { patientId, readingId, custodianMspId } };
}

interface OrgStream {
  readonly subscribers: Set<ReadingSubscriber>;
  blocks?: CloseableAsyncIterable<PrivateDataBlock>;
  opening?: Promise<void>;
  /** The next block to ask for when the stream is opened again. */
  next?: bigint;
  retry?: ReturnType<typeof setTimeout>;
}

class PeerCommittedReadings implements CommittedReadings {
  readonly #options: CommittedReadingsOptions;
  readonly #orgs = new Map<string, OrgStream>();
  #closed = false;

  constructor(options: CommittedReadingsOptions) {
    this.#options = options;
  }

  async subscribe(subscriber: ReadingSubscriber): Promise<() => void> {
    let org = this.#orgs.get(subscriber.mspId);
    if (org === undefined) {
      org = { subscribers: new Set() };
      this.#orgs.set(subscriber.mspId, org);
    }
    const stream = org;
    stream.subscribers.add(subscriber);
    if (stream.blocks === undefined && stream.retry === undefined) {
      stream.opening ??= this.#open(subscriber.mspId, stream).finally(() => (stream.opening = undefined));
    }
    await stream.opening;
    return () => {
      stream.subscribers.delete(subscriber);
      if (stream.subscribers.size === 0) this.#stop(subscriber.mspId, stream);
    };
  }

  #stop(mspId: string, org: OrgStream): void {
    clearTimeout(org.retry);
    org.retry = undefined;
    org.blocks?.close();
    org.blocks = undefined;
    if (this.#orgs.get(mspId) === org) this.#orgs.delete(mspId);
  }

  /** Opens the organisation's stream with one of its subscribers' identities, and follows it. */
  async #open(mspId: string, org: OrgStream): Promise<void> {
    const signer = org.subscribers.values().next().value;
    if (signer === undefined || this.#closed) return;
    try {
      org.blocks = await this.#options.ledger.privateData(signer.identity, org.next);
    } catch (err) {
      this.#reopenLater(mspId, org, err);
      return;
    }
    if (org.subscribers.size === 0 || this.#orgs.get(mspId) !== org) {
      org.blocks.close();
      return;
    }
    void this.#follow(mspId, org, org.blocks);
  }

  async #follow(mspId: string, org: OrgStream, blocks: CloseableAsyncIterable<PrivateDataBlock>) {
    try {
      for await (const block of blocks) {
        org.next = block.blockNumber + 1n;
        for (const write of block.writes) {
          const notice = committedNoticeOf(write, mspId);
          if (notice === undefined) continue;
          for (const s of org.subscribers) s.onNotice(notice);
        }
      }
      if (org.blocks === blocks) this.#reopenLater(mspId, org, new Error('the stream ended'));
    } catch (err) {
      if (org.blocks === blocks) this.#reopenLater(mspId, org, err);
    }
  }

  #reopenLater(mspId: string, org: OrgStream, err: unknown): void {
    org.blocks = undefined;
    if (this.#closed || org.subscribers.size === 0) return;
    this.#options.logger.warn(
      { mspId, err: err instanceof Error ? err.message : String(err) },
      'committed-readings stream broke; opening it again',
    );
    org.retry = setTimeout(() => {
      org.retry = undefined;
      void this.#open(mspId, org);
    }, this.#options.reopenMs ?? 1000);
  }

  close(): void {
    this.#closed = true;
    for (const [mspId, org] of [...this.#orgs]) this.#stop(mspId, org);
  }
}

/**
 * Committed readings over the ledger's DeliverWithPrivateData: an organisation's peer delivers
 * the private data of the collections that organisation is a member of, so a stream opened
 * with an identity of Hospital A carries Hospital A's implicit collection and nobody else's.
 */
export function newCommittedReadings(options: CommittedReadingsOptions): CommittedReadings {
  return new PeerCommittedReadings(options);
}
