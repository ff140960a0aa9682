import { InMemoryLedger } from './in-memory-ledger';
import { InProcessShim } from './in-process-shim';
import { SimulatedProposal } from './simulated-proposal';
import { newTestProposal } from './test-signed-proposal';
import { worldStateView, type WorldStateView } from './world-state-view';

export interface InMemoryChannelOptions {
  readonly channelId: string;
  /** The one chaincode the channel runs (its ledger namespace). */
  readonly chaincodeName: string;
  /** The channel's organisations: each has an implicit collection and a peer that holds it. */
  readonly orgs: readonly string[];
  /** Fabric's ledger.state.totalQueryLimit (default 100000). */
  readonly totalQueryLimit?: number;
}

export interface ProposalOptions {
  /** The client: its MSP ID and identity bytes (a PEM certificate), as `getCreator()` returns them. */
  readonly creator: { readonly mspId: string; readonly idBytes: Uint8Array };
  /** The organisation of the endorsing peer (default: the creator's). */
  readonly endorserMspId?: string;
  /** Function name first, then its arguments (`getArgs()`). */
  readonly args?: readonly string[];
  readonly transient?: ReadonlyMap<string, Uint8Array>;
  /** The proposal's timestamp (default: now). */
  readonly timestamp?: Date;
  /** The transaction id (default: SHA-256 of nonce and creator, as a client computes it). */
  readonly txId?: string;
}

/**
 * TEST SUPPORT: a channel in memory for calling a chaincode in-process as a peer runs it:
 * `propose` simulates a proposal at a peer of the endorsing organisation (fabric-shim's stub,
 * the devnet's shim request handler and proposal simulator) and `commit` commits its results
 * (MVCC checks and write rules of the devnet's committer), one transaction per block.
 */
export class InMemoryChannel {
  readonly channelId: string;
  readonly chaincodeName: string;
  readonly ledger: InMemoryLedger;
  readonly #shim: InProcessShim;

  constructor(options: InMemoryChannelOptions) {
    this.channelId = options.channelId;
    this.chaincodeName = options.chaincodeName;
    this.ledger = new InMemoryLedger({
      orgs: options.orgs,
      channelId: options.channelId,
      totalQueryLimit: options.totalQueryLimit,
    });
    this.#shim = new InProcessShim({
      chaincodeName: options.chaincodeName,
      totalQueryLimit: options.totalQueryLimit,
    });
  }

  /**
   * A proposal simulated at a peer of `endorserMspId`: hand its `stub` to the chaincode, then
   * `commit` it (or not, for an evaluation).
   * @throws Error as fabric-shim does when it cannot build a stub.
   */
  propose(options: ProposalOptions): SimulatedProposal {
    const millis = (options.timestamp ?? new Date()).getTime();
    const timestamp = { seconds: Math.floor(millis / 1000), nanos: (millis % 1000) * 1_000_000 };
    const proposal = newTestProposal({
      channelId: this.channelId,
      chaincodeName: this.chaincodeName,
      args: options.args ?? [],
      creator: options.creator,
      transient: Object.fromEntries(options.transient ?? []),
      timestamp,
      txId: options.txId,
    });
    const endorserMspId = options.endorserMspId ?? options.creator.mspId;
    const simulator = this.ledger.newSimulator(proposal.txId, { endorserMspId });
    return new SimulatedProposal({
      txId: proposal.txId,
      namespace: this.chaincodeName,
      timestamp,
      transaction: this.#shim.begin(this.channelId, proposal.txId, proposal, simulator, endorserMspId),
      simulator,
      privateWriteSet: () => this.ledger.privateWriteSet(proposal.txId),
    });
  }

  /**
   * Finishes the proposal's simulation and commits its results in a block of its own.
   * @returns Fabric's validation code: VALID (0), or why nothing was applied.
   */
  commit(proposal: SimulatedProposal): Promise<number> {
    const { publicRwset, privateRwset } = proposal.finish();
    return this.ledger.commit({
      txId: proposal.txId,
      timestamp: proposal.timestamp,
      publicRwset,
      privateRwset,
    });
  }

  /** A snapshot of the chaincode's committed world state. */
  worldState(): WorldStateView {
    return worldStateView(this.ledger.state, this.chaincodeName);
  }
}
