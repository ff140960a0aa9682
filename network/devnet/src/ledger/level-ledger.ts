import type { common, ledger } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';
import type { CollectionConfigInput } from '../network-config/collection-config';
import { chaincodePolicy } from '../policy/chaincode-policy';
import { describeBlock, readBlock, verifyChain, type ChainInfo } from './block-store';
import { decodeTxIndex, prepareBlock } from './block-committer';
import { readBlockPrivateData } from './block-private-data';
import { LIFECYCLE_NAMESPACE, sequenceKey, type ChaincodeDefinition } from './chaincode-definitions';
import { canonicalCollection, type CollectionDefinition } from './collections/collection-definition';
import { CollectionRegistry } from './collections/collection-registry';
import { dbKeys } from './db-keys';
import { recordDefinitions, type RecordedDefinition } from './definition-recorder';
import type { CommittedBlock, Ledger, ProposalSimulator, SimulatorOptions, TxStatus } from './ledger';
import { checkDataFormat } from './data-format';
import { openLedgerDb, type LedgerDb } from './ledger-db';
import { reopenLedgerDb } from './ledger-reopen';
import { LedgerWriteError } from './ledger-write-error';
import { LevelProposalSimulator } from './proposal-simulator';
import { StateReader } from './state-reader';
import { VALIDATION_PARAMETER } from './state-record';
import { TransientStore } from './transient-store';
import { WriteGuard } from './write-guard';
import { messageWithCause } from '../error-message';

/** A chaincode to define: its collections as written (defaults are filled in when recorded). */
export type ChaincodeDefinitionInput = Omit<ChaincodeDefinition, 'collections'> & {
  readonly collections?: readonly CollectionConfigInput[];
};

export interface LedgerOptions {
  /** Directory of the LevelDB store (created if missing). */
  readonly dataDir: string;
  readonly channelId: string;
  readonly msp: MspRegistry;
  /**
   * Chaincodes defined on the channel; a changed list is recorded in a config block at open (a
   * changed collection config is a changed definition).
   */
  readonly chaincodes: readonly ChaincodeDefinitionInput[];
  readonly logger: Logger;
  /** Application organisations (MAJORITY/ANY/ALL, implicit collections); default `msp.mspIds()`. */
  readonly orgs?: readonly string[];
  /** fsync each block (default true): a committed block survives a power cut. */
  readonly syncWrites?: boolean;
  /** Blocks after which an uncommitted private write set is dropped (Fabric: 1000). */
  readonly transientRetentionBlocks?: number;
  /** Fabric's ledger.state.totalQueryLimit (default 100000). */
  readonly totalQueryLimit?: number;
  /** The format of what the chaincode stores; a ledger of another format is refused (`data-format.ts`). */
  readonly dataFormat?: string;
}

/** The devnet's ledger: the `Ledger` seam plus what the gateway and tests need besides. */
export interface DevnetLedger extends Ledger {
  /** Chaincode definitions in force (name → definition). */
  chaincodes(): ReadonlyMap<string, ChaincodeDefinition>;
  /** The stored `common.Block`, exactly as committed (for Deliver-style consumers and tests). */
  getRawBlock(number: bigint): Promise<common.Block | undefined>;
  /**
   * The private write sets of a committed block's valid transactions, by transaction number
   * (Fabric's private data store; purged keys removed), for `DeliverWithPrivateData`.
   */
  getBlockPrivateData(number: bigint): Promise<ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>>;
}

/**
 * Opens the channel ledger under `options.dataDir`: verifies the stored hash chain and the
 * state height, creates the genesis block on first use, and records changed chaincode
 * definitions in a config block.
 * @throws LedgerLockedError if another process holds the directory, LedgerCorruptError if the
 *   store is inconsistent, LedgerDataFormatError if it holds another data format (unchanged),
 *   PolicyParseError for a bad chaincode policy, CollectionConfigError for a collection config
 *   the network cannot serve or a change of one Fabric refuses (nothing recorded).
 */
export async function openLedger(options: LedgerOptions): Promise<DevnetLedger> {
  const orgs = options.orgs ?? options.msp.mspIds();
  const chaincodes = options.chaincodes.map(definitionOf);
  const policies = new Map(chaincodes.map((cc) => [cc.name, chaincodePolicy(cc.policy, orgs)]));
  const collections = new CollectionRegistry(orgs, chaincodes);
  const db = await openLedgerDb(options.dataDir);
  try {
    const found = await verifyChain(db, options.dataDir);
    await checkDataFormat(db, options.dataDir, found.height, options.dataFormat);
    const guard = new WriteGuard();
    const transient = await TransientStore.open(db, options.logger, guard);
    const reader = new StateReader(db);
    const { chain, definitions } = await recordDefinitions(
      {
        db,
        reader,
        channelId: options.channelId,
        logger: options.logger,
        syncWrites: options.syncWrites ?? true,
      },
      found,
      chaincodes,
    );
    return new LevelLedger({
      db,
      chain,
      reader,
      transient,
      guard,
      policies,
      collections,
      definitions,
      options,
    });
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** A definition as recorded: collections in canonical form, none when empty. */
function definitionOf(cc: ChaincodeDefinitionInput): ChaincodeDefinition {
  const { collections, ...rest } = cc;
  return collections === undefined || collections.length === 0
    ? rest
    : { ...rest, collections: collections.map(canonicalCollection) };
}

class LevelLedger implements DevnetLedger {
  readonly channelId: string;
  readonly #db: LedgerDb;
  readonly #reader: StateReader;
  readonly #transient: TransientStore;
  readonly #guard: WriteGuard;
  readonly #policies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
  readonly #collections: CollectionRegistry;
  readonly #options: LedgerOptions;
  readonly #listeners = new Set<(block: CommittedBlock) => void>();
  readonly #definitions: ReadonlyMap<string, RecordedDefinition>;
  #chain: ChainInfo;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(parts: {
    readonly db: LedgerDb;
    readonly chain: ChainInfo;
    readonly reader: StateReader;
    readonly transient: TransientStore;
    readonly guard: WriteGuard;
    readonly policies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
    readonly collections: CollectionRegistry;
    readonly definitions: ReadonlyMap<string, RecordedDefinition>;
    readonly options: LedgerOptions;
  }) {
    this.channelId = parts.options.channelId;
    this.#db = parts.db;
    this.#chain = parts.chain;
    this.#reader = parts.reader;
    this.#transient = parts.transient;
    this.#guard = parts.guard;
    this.#policies = parts.policies;
    this.#collections = parts.collections;
    this.#definitions = parts.definitions;
    this.#options = parts.options;
  }

  height(): bigint {
    return BigInt(this.#chain.height);
  }

  chaincodes(): ReadonlyMap<string, ChaincodeDefinition> {
    return new Map([...this.#definitions].map(([name, d]) => [name, d.definition]));
  }

  collection(namespace: string, name: string): CollectionDefinition | undefined {
    return this.#collections.collection(namespace, name);
  }

  async validationParameter(
    namespace: string,
    key: string | { readonly collection: string; readonly keyHash: Buffer },
  ): Promise<Buffer | undefined> {
    this.#checkOpen();
    const record =
      typeof key === 'string'
        ? await this.#reader.getState(namespace, key)
        : await this.#reader.getHashed(namespace, key.collection, key.keyHash);
    return record?.metadata.get(VALIDATION_PARAMETER);
  }

  newSimulator(txId: string, options: SimulatorOptions = {}): ProposalSimulator {
    this.#checkOpen();
    const simulator = new LevelProposalSimulator({
      txId,
      reader: this.#reader,
      transient: this.#transient,
      height: this.#chain.height,
      channelId: this.channelId,
      collections: this.#collections,
      ...(options.creator === undefined ? {} : { creator: this.#creatorOf(options.creator) }),
      endorserMspId: options.endorserMspId,
      totalQueryLimit: this.#options.totalQueryLimit ?? 100_000,
    });
    if (options.chaincodeName !== undefined) {
      const def = this.#definitions.get(options.chaincodeName);
      if (def === undefined) {
        throw new Error(
          `make sure the chaincode ${options.chaincodeName} has been successfully defined on channel ${this.channelId} and try again`,
        );
      }
      simulator.recordRead(LIFECYCLE_NAMESPACE, sequenceKey(options.chaincodeName), def.version);
    }
    return simulator;
  }

  /** The creator as the MSP validates it, once and only if a member-only check needs it. */
  #creatorOf(serialized: Buffer): () => VerifiedIdentity | undefined {
    let identity: VerifiedIdentity | undefined | null = null;
    return () => {
      if (identity === null) {
        try {
          identity = this.#options.msp.validateIdentity(serialized);
        } catch {
          identity = undefined;
        }
      }
      return identity;
    };
  }

  async commitBlock(envelopes: readonly Buffer[]): Promise<CommittedBlock> {
    this.#checkOpen();
    if (envelopes.length === 0) throw new Error('a block needs at least one transaction');
    return this.#serialize(async () => {
      await this.#transient.flush();
      this.#checkWritable();
      const prepared = await prepareBlock(
        {
          db: this.#db,
          channelId: this.channelId,
          msp: this.#options.msp,
          reader: this.#reader,
          transient: this.#transient,
          chaincodePolicies: this.#policies,
          collections: this.#collections,
          transientRetentionBlocks: this.#options.transientRetentionBlocks ?? 1000,
          logger: this.#options.logger,
        },
        this.#chain,
        envelopes,
      );
      try {
        await this.#db.batch(prepared.ops, { sync: this.#options.syncWrites ?? true });
      } catch (err) {
        this.#guard.fail(err);
        throw new LedgerWriteError(`could not write block ${this.#chain.height}: ${messageWithCause(err)}`, {
          cause: err,
        });
      }
      prepared.written();
      this.#chain = prepared.chain;
      this.#notify(prepared.committed);
      return prepared.committed;
    });
  }

  writeFailure(): Error | undefined {
    return this.#guard.failure;
  }

  async recover(): Promise<void> {
    this.#checkOpen();
    return this.#serialize(async () => {
      const failure = this.#guard.failure;
      if (failure === undefined) return;
      await this.#transient.flush();
      const chain = await reopenLedgerDb(this.#db, this.#options.dataDir);
      const adopted: CommittedBlock[] = [];
      for (let n = this.#chain.height; n < chain.height; n += 1) {
        const block = await readBlock(this.#db, n);
        if (block === undefined) throw new LedgerWriteError(`block ${n} is not readable after reopening`);
        adopted.push(describeBlock(block));
      }
      this.#transient.forget(adopted.flatMap((b) => b.transactions.map((t) => t.txId)));
      this.#chain = chain;
      this.#guard.clear();
      this.#options.logger.warn(
        { height: chain.height, adoptedBlocks: adopted.length, failure: messageWithCause(failure) },
        'the ledger writes again after a failed write',
      );
      for (const block of adopted) this.#notify(block);
    });
  }

  getTxStatus(txId: string): TxStatus | undefined {
    this.#checkOpen();
    const bytes = this.#db.getSync(dbKeys.txIndex(txId));
    if (bytes === undefined) return undefined;
    const entry = decodeTxIndex(bytes);
    return { txId, code: entry.code, blockNumber: BigInt(entry.blockNum) };
  }

  async getBlock(number: bigint): Promise<CommittedBlock | undefined> {
    const block = await this.getRawBlock(number);
    return block === undefined ? undefined : describeBlock(block);
  }

  async getRawBlock(number: bigint): Promise<common.Block | undefined> {
    this.#checkOpen();
    if (number < 0n || number >= BigInt(this.#chain.height)) return undefined;
    return readBlock(this.#db, Number(number));
  }

  async getBlockPrivateData(number: bigint): Promise<ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>> {
    this.#checkOpen();
    if (number < 0n || number >= BigInt(this.#chain.height)) return new Map();
    return readBlockPrivateData(this.#db, Number(number));
  }

  onBlock(listener: (block: CommittedBlock) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    await this.#transient.flush();
    this.#listeners.clear();
    await this.#db.close();
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #notify(block: CommittedBlock): void {
    for (const listener of this.#listeners) {
      try {
        listener(block);
      } catch (err) {
        this.#options.logger.error({ err, block: block.number }, 'block listener failed');
      }
    }
  }

  #checkWritable(): void {
    const failure = this.#guard.failure;
    if (failure !== undefined) {
      throw new LedgerWriteError(
        `the ledger stopped writing after a failed write (${messageWithCause(failure)}); it writes again once recovered`,
        { cause: failure },
      );
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`ledger of channel ${this.channelId} is closed`);
  }
}
