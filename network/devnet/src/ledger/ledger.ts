import type { CollectionLookup } from './collections/collection-registry';
import type { TxSimulator } from './tx-simulator';

/**
 * The seam between the ledger (state, blocks, validation, commit, persistence; src/ledger)
 * and the gateway service and orderer (src/gateway).
 */
export interface ProposalSimulator extends TxSimulator {
  /**
   * Finish simulation: the serialized `rwset.TxReadWriteSet` (public reads/writes/range infos,
   * hashed private reads/writes, metadata writes) that goes into the ChaincodeAction. Private
   * write values are kept in the ledger's transient store under this txId until the
   * transaction commits (then they are stored) or is purged.
   */
  done(): Buffer;
  /**
   * The collections whose values the simulation read (`namespace\0collection`; Fabric's
   * `PrivateReads`): the gateway picks endorsers among their members.
   */
  privateReads(): ReadonlySet<string>;
}

/** Fabric's TxValidationCode numbers (peer/transaction.proto). */
export type TxValidationCode = number;

export interface TxStatus {
  readonly txId: string;
  readonly code: TxValidationCode;
  readonly blockNumber: bigint;
}

export interface CommittedTransaction {
  readonly txId: string;
  readonly code: TxValidationCode;
  readonly chaincodeId: string | undefined;
  /** The chaincode event of a VALID transaction, if it set one. */
  readonly event?: { readonly chaincodeId: string; readonly eventName: string; readonly payload: Buffer };
}

/** Optional context of a simulation (both optional, so `newSimulator(txId)` still works). */
export interface SimulatorOptions {
  /**
   * The invoked chaincode: the simulator records the `_lifecycle` read of
   * `namespaces/fields/<cc>/Sequence` as a Fabric peer does, and throws Fabric's
   * "make sure the chaincode <cc> has been successfully defined on channel <ch> and try again"
   * if the chaincode is not defined.
   */
  readonly chaincodeName?: string;
  /**
   * The endorsing peer's MSP ID. A peer holds the values of the collections its organisation is a
   * member of (its own implicit collection, explicit ones whose policy names it): reading another
   * collection's existing keys fails as on a Fabric peer that is no member. Undefined = all.
   */
  readonly endorserMspId?: string;
  /**
   * The proposal's creator (a serialized identity): private data calls check it against the
   * collection's member-only flags, as Fabric's chaincode handler does. Undefined = not checked.
   */
  readonly creator?: Buffer;
}

export interface CommittedBlock {
  readonly number: bigint;
  readonly transactions: readonly CommittedTransaction[];
}

export interface Ledger extends CollectionLookup {
  readonly channelId: string;
  /** Number of committed blocks (the next block's number). */
  height(): bigint;
  newSimulator(txId: string, options?: SimulatorOptions): ProposalSimulator;
  /**
   * The committed key-level endorsement policy (`VALIDATION_PARAMETER` metadata) of a public
   * key, or of a private key given by its collection and key hash; undefined if it has none.
   * Records no read: for choosing endorsers, not for simulation.
   */
  validationParameter(
    namespace: string,
    key: string | { readonly collection: string; readonly keyHash: Buffer },
  ): Promise<Buffer | undefined>;
  /**
   * Validate and commit one block of signed envelopes as Fabric's committer does (signature,
   * txid, duplicates, endorsement policies incl. key-level, MVCC, phantom reads), persist it,
   * and return each transaction's code.
   */
  commitBlock(envelopes: readonly Buffer[]): Promise<CommittedBlock>;
  /**
   * The error of a failed write, while the ledger refuses to write (then `commitBlock` throws
   * LedgerWriteError at once); undefined while it writes.
   */
  writeFailure(): Error | undefined;
  /**
   * After a failed write: reopens the store, adopts a block that reached the disk after all
   * (its listeners are told), and writes again. Nothing to do while writing works.
   * @throws LedgerWriteError while it cannot.
   */
  recover(): Promise<void>;
  /** The first committed copy's status; undefined if the txId was never committed. */
  getTxStatus(txId: string): TxStatus | undefined;
  getBlock(number: bigint): Promise<CommittedBlock | undefined>;
  /** Called after each block commits; returns an unsubscribe function. */
  onBlock(listener: (block: CommittedBlock) => void): () => void;
  close(): Promise<void>;
}
