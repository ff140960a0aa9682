import { ledger, peer } from '@hyperledger/fabric-protos';
import { BlockUpdates } from '../ledger/block-updates';
import { CollectionRegistry } from '../ledger/collections/collection-registry';
import type { ProposalSimulator } from '../ledger/ledger';
import { validateMvcc } from '../ledger/mvcc-validator';
import { LevelProposalSimulator } from '../ledger/proposal-simulator';
import { RwSetBuilder } from '../ledger/rwset-builder';
import { applyValidTx, type HistoryWrite } from '../ledger/write-applier';
import { InMemoryState } from './in-memory-state';
import { namespacesOf } from './write-set';

import Code = peer.TxValidationCode;
import rwset = ledger.rwset;

export interface InMemoryLedgerOptions {
  /** The organisations whose implicit collections (`_implicit_org_<MSPID>`) exist. */
  readonly orgs: readonly string[];
  /** Named in errors about collections; default `in-memory`. */
  readonly channelId?: string;
  /** Fabric's ledger.state.totalQueryLimit (default 100000). */
  readonly totalQueryLimit?: number;
}

export interface InMemorySimulatorOptions {
  /** The endorsing peer's organisation: it holds only its own implicit collection's values. Undefined = all. */
  readonly endorserMspId?: string;
}

/** A transaction to commit: its id, its ChannelHeader timestamp and its simulation results. */
export interface InMemoryCommit {
  readonly txId: string;
  readonly timestamp?: { readonly seconds: number; readonly nanos: number };
  /** The serialized public `TxReadWriteSet` (`ProposalSimulator.done()`). */
  readonly publicRwset: Uint8Array;
  /** The private write set; default: the one `done()` left in the ledger's transient store. */
  readonly privateRwset?: rwset.TxPvtReadWriteSet;
}

/**
 * TEST SUPPORT: a channel ledger in memory. The devnet's own `LevelProposalSimulator` simulates
 * each transaction against committed state (`InMemoryState`), and `commit` validates it with the
 * committer's MVCC check and applies its writes with the committer's write rules, one
 * transaction per block. Not checked: signatures and endorsement policies (there are no
 * envelopes here).
 */
export class InMemoryLedger {
  readonly state = new InMemoryState();
  readonly #options: InMemoryLedgerOptions;
  /** Implicit collections only. */
  readonly #collections: CollectionRegistry;
  /** Private write sets between simulation and commit, by txId. */
  readonly #transient = new Map<string, rwset.TxPvtReadWriteSet>();
  /** Block 0 is the channel's genesis block; transactions commit from block 1 on. */
  #height = 1;
  #seeds = 0;

  constructor(options: InMemoryLedgerOptions) {
    this.#options = options;
    this.#collections = new CollectionRegistry(options.orgs, []);
  }

  /** Number of committed blocks (the next transaction's block number). */
  get height(): number {
    return this.#height;
  }

  /** A simulator for one proposal, over committed state. */
  newSimulator(txId: string, options: InMemorySimulatorOptions = {}): ProposalSimulator {
    return new LevelProposalSimulator({
      txId,
      reader: this.state,
      transient: { persist: (id, privateRwset) => this.#transient.set(id, privateRwset) },
      height: this.#height,
      channelId: this.#options.channelId ?? 'in-memory',
      collections: this.#collections,
      endorserMspId: options.endorserMspId,
      totalQueryLimit: this.#options.totalQueryLimit ?? 100_000,
    });
  }

  /** The private write set a simulation of `txId` left for commit, if any. */
  privateWriteSet(txId: string): rwset.TxPvtReadWriteSet | undefined {
    return this.#transient.get(txId);
  }

  /**
   * Commits one transaction in a block of its own: MVCC and phantom checks against committed
   * state, then its public, hashed and private writes, metadata and history.
   * @returns Fabric's validation code (`TxValidationCode`): VALID, or why nothing was applied.
   */
  async commit(tx: InMemoryCommit): Promise<number> {
    const namespaces = namespacesOf(tx.publicRwset);
    const privateRwset = tx.privateRwset ?? this.#transient.get(tx.txId);
    this.#transient.delete(tx.txId);
    const updates = new BlockUpdates();
    const code = await validateMvcc(namespaces, this.state, updates);
    if (code === Code.VALID) {
      const history: HistoryWrite[] = [];
      await applyValidTx(
        {
          txId: tx.txId,
          version: { blockNum: this.#height, txNum: 0 },
          timestamp: tx.timestamp ?? { seconds: 0, nanos: 0 },
          namespaces,
          privateRwset,
        },
        this.state,
        updates,
        history,
      );
      this.state.apply(updates, history);
    }
    this.#height += 1;
    return code;
  }

  /**
   * Commits a write set built directly (committed state a test starts from, such as metadata
   * with several entries, which no chaincode call can write).
   */
  async seed(
    build: (writes: RwSetBuilder) => void,
    tx: Partial<Pick<InMemoryCommit, 'txId' | 'timestamp'>> = {},
  ): Promise<void> {
    const builder = new RwSetBuilder();
    build(builder);
    const results = builder.build();
    this.#seeds += 1;
    await this.commit({
      txId: tx.txId ?? `seed-${this.#seeds}`,
      timestamp: tx.timestamp,
      publicRwset: results.publicRwset,
      privateRwset: results.privateRwset,
    });
  }
}
