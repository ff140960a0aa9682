import type { peer } from '@hyperledger/fabric-protos';
import type { TxSimulator } from '../ledger/tx-simulator';
import type { QueryCursor } from './query-batcher';

/**
 * The peer-side state of one transaction running on a chaincode stream, keyed by
 * (channel, txid) as Fabric keys it: the simulator the shim's requests are served from, the open
 * query iterators, and the completion the invoker is waiting for.
 */
export class TransactionContext {
  readonly channelId: string;
  readonly txId: string;
  readonly simulator: TxSimulator;
  /** The client's serialized SignedProposal (a same-channel callee receives it too). */
  readonly signedProposal: Buffer;
  readonly #cursors = new Map<string, QueryCursor>();
  readonly #resolve: (message: peer.ChaincodeMessage) => void;
  readonly #reject: (error: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #finished = false;

  constructor(
    options: Readonly<{
      channelId: string;
      txId: string;
      simulator: TxSimulator;
      signedProposal: Buffer;
      resolve: (message: peer.ChaincodeMessage) => void;
      reject: (error: Error) => void;
    }>,
  ) {
    this.channelId = options.channelId;
    this.txId = options.txId;
    this.simulator = options.simulator;
    this.signedProposal = options.signedProposal;
    this.#resolve = options.resolve;
    this.#reject = options.reject;
  }

  get finished(): boolean {
    return this.#finished;
  }

  setTimer(timer: NodeJS.Timeout): void {
    this.#timer = timer;
  }

  addCursor(cursor: QueryCursor): void {
    this.#cursors.set(cursor.id, cursor);
  }

  cursor(id: string): QueryCursor | undefined {
    return this.#cursors.get(id);
  }

  async closeCursor(id: string): Promise<void> {
    const cursor = this.#cursors.get(id);
    if (cursor === undefined) return;
    this.#cursors.delete(id);
    await cursor.close();
  }

  /** The chaincode's final message (COMPLETED or ERROR). */
  complete(message: peer.ChaincodeMessage): void {
    if (this.#finish()) this.#resolve(message);
  }

  fail(error: Error): void {
    if (this.#finish()) this.#reject(error);
  }

  #finish(): boolean {
    if (this.#finished) return false;
    this.#finished = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    // Fabric closes a transaction's query iterators when it completes (CloseQueryIterators).
    for (const cursor of this.#cursors.values()) void cursor.close().catch(() => undefined);
    this.#cursors.clear();
    return true;
  }
}

/** The transaction-context key; fabric-shim correlates by the same pair. */
export function contextKey(channelId: string, txId: string): string {
  return `${channelId}\u0000${txId}`;
}
