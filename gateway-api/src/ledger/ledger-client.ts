import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { TransactionName } from '@careledger/contract';
import type { DeliveredPrivateData, DeliveredPrivateWrite } from '@careledger/fabric-toolkit';

/** Per-phase deadlines of ledger calls. */
export interface Deadlines {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitMs: number;
  /** How long the status endpoint waits for a commit before answering "pending". */
  readonly statusPollMs: number;
  /** Deadline of the readiness evaluate. */
  readonly readyMs: number;
}

/** How to run a call: who signs it, and how it reaches the ledger. */
export interface CallOptions {
  /** Wallet name of the caller: the transaction is signed with the caller's own identity. */
  readonly identity: string;
  /** The caller's organisation: the custodian of the patients it registers. */
  readonly mspId: string;
  /** Return once the orderer accepted the transaction, without waiting for its commit. */
  readonly async?: boolean;
}

export interface CallRequest extends CallOptions {
  readonly transaction: TransactionName;
  /**
   * Organisations that must endorse or evaluate (the patient's custodian, whose peer alone holds
   * its private data). Without them Fabric's gateway chooses, which may be another organisation.
   */
  readonly endorsingOrganizations?: readonly string[];
  readonly args: readonly string[];
  /** Private inputs, sent as transient data: never in the transaction, never logged. */
  readonly transient?: Readonly<Record<string, string>>;
  /**
   * Whether the endorsed result shows that the ledger already holds this write (a replay of a
   * committed one): then nothing is submitted and the result answers as it is.
   */
  readonly alreadyOnLedger?: (payload: Uint8Array) => boolean;
}

/** Milliseconds spent per phase, and how many attempts the call took. */
export interface Timings {
  endorseMs?: number;
  submitMs?: number;
  commitMs?: number;
  evaluateMs?: number;
  attempts: number;
}

export interface CallResult {
  readonly payload: Uint8Array;
  readonly transactionId?: string;
  readonly blockNumber?: bigint;
  /** Submitted with `async`: ordered, commit not awaited. */
  readonly pending?: boolean;
  /** Endorsed only: the ledger already held the write (`alreadyOnLedger`), nothing was submitted. */
  readonly alreadyOnLedger?: boolean;
  readonly timings: Timings;
}

/** Commit status of a transaction; `committed: false` while it is not in a block yet. */
export interface TransactionStatus {
  readonly transactionId: string;
  readonly committed: boolean;
  readonly valid?: boolean;
  /** Fabric's TxValidationCode (0 = VALID). */
  readonly code?: number;
  readonly blockNumber?: bigint;
}

/** A position in the event stream to resume after (fabric-gateway checkpoint semantics). */
export interface EventCheckpoint {
  readonly blockNumber: bigint;
  readonly transactionId?: string;
}

/** A committed block's private writes of this gateway's chaincode, as the caller's organisation's peer delivers them. */
export type PrivateDataBlock = DeliveredPrivateData;
export type PrivateWrite = DeliveredPrivateWrite;

/**
 * The ledger as the gateway uses it: calls signed by the caller's identity, commit status,
 * chaincode events, readiness. The typed facade (`CareLedger`) is built on it; tests use a fake.
 */
export interface LedgerClient {
  /** @throws ApiError (mapped in errors/fabric-error-mapper.ts) */
  call(request: CallRequest): Promise<CallResult>;
  /** @throws ApiError NOT_FOUND unless this caller submitted the transaction through this process. */
  status(identity: string, transactionId: string): Promise<TransactionStatus>;
  events(identity: string, resume?: EventCheckpoint): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  /**
   * Committed blocks with the private data the identity's organisation holds (Fabric's
   * DeliverWithPrivateData from its own peer), from `startBlock` or the next commit.
   */
  privateData(identity: string, startBlock?: bigint): Promise<CloseableAsyncIterable<PrivateDataBlock>>;
  /** @throws ApiError when a cheap evaluate fails within the readiness deadline. */
  ready(identity: string): Promise<void>;
  close(): void;
}
