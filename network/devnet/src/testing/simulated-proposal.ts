import type { ledger } from '@hyperledger/fabric-protos';
import type { ChaincodeStub } from 'fabric-shim';
import type { ProposalSimulator } from '../ledger/ledger';
import type { InProcessTransaction } from './in-process-shim';
import { hasWrites, namespaceWrites, type NamespaceWrites } from './write-set';

/** The chaincode event a transaction set (the last `setEvent` wins). */
export interface ChaincodeEventOf {
  readonly name: string;
  readonly payload: Buffer;
}

/** The results of a finished simulation: what the endorsement carries and the transient store keeps. */
export interface SimulationOutcome {
  readonly publicRwset: Buffer;
  readonly privateRwset: ledger.rwset.TxPvtReadWriteSet | undefined;
}

/** fabric-shim's ChaincodeStub keeps the event it will send with COMPLETED here. */
interface StubWithEvent {
  readonly chaincodeEvent?: { getEventName(): string; getPayload_asU8(): Uint8Array };
}

/**
 * TEST SUPPORT: one proposal being simulated at a peer: fabric-shim's stub for the chaincode,
 * the devnet's simulator behind it, and, once finished, its read-write sets, writes and event.
 */
export class SimulatedProposal {
  readonly txId: string;
  readonly namespace: string;
  /** The ChannelHeader timestamp, which commit records in the keys' history. */
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly #transaction: InProcessTransaction;
  readonly #simulator: ProposalSimulator;
  readonly #privateWriteSet: () => SimulationOutcome['privateRwset'];
  #outcome: SimulationOutcome | undefined;

  constructor(
    options: Readonly<{
      txId: string;
      namespace: string;
      timestamp: { readonly seconds: number; readonly nanos: number };
      transaction: InProcessTransaction;
      simulator: ProposalSimulator;
      privateWriteSet: () => SimulationOutcome['privateRwset'];
    }>,
  ) {
    this.txId = options.txId;
    this.namespace = options.namespace;
    this.timestamp = options.timestamp;
    this.#transaction = options.transaction;
    this.#simulator = options.simulator;
    this.#privateWriteSet = options.privateWriteSet;
  }

  /** fabric-shim's ChaincodeStub of the transaction, for a fabric-contract-api Context. */
  get stub(): ChaincodeStub {
    return this.#transaction.stub;
  }

  /** The event the chaincode set, if any. */
  get event(): ChaincodeEventOf | undefined {
    const event = (this.stub as unknown as StubWithEvent).chaincodeEvent;
    return event && { name: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()) };
  }

  /**
   * Ends the simulation (the first call only): the transaction's iterators close and the
   * simulator builds its read-write sets; later stub calls fail as on a peer.
   */
  finish(): SimulationOutcome {
    if (this.#outcome === undefined) {
      this.#transaction.finish();
      const publicRwset = this.#simulator.done();
      this.#outcome = { publicRwset, privateRwset: this.#privateWriteSet() };
    }
    return this.#outcome;
  }

  /** What the transaction wrote to its chaincode's namespace (finishes it). */
  writes(): NamespaceWrites {
    const { publicRwset, privateRwset } = this.finish();
    return namespaceWrites(this.namespace, publicRwset, privateRwset);
  }

  /** Whether it wrote anything, public or private, values or metadata (finishes it). */
  hasWrites(): boolean {
    return hasWrites(this.writes());
  }
}
