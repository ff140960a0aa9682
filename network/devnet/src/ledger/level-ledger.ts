import type { common, ledger } from '@hyperledger/fabric-protos';
import type { AbstractBatchOperation } from 'abstract-level';
import type { Logger } from 'pino';
import type { MspRegistry } from '@careledger/fabric-toolkit';
import { chaincodePolicy } from '../policy/chaincode-policy';
import {
  buildBlock,
  describeBlock,
  encodeChainInfo,
  readBlock,
  verifyChain,
  type ChainInfo,
} from './block-store';
import { decodeTxIndex, prepareBlock } from './block-committer';
import { readBlockPrivateData } from './block-private-data';
import {
  configEnvelope,
  decodeSequence,
  definitionKey,
  encodeDefinition,
  encodeSequence,
  LIFECYCLE_NAMESPACE,
  sameDefinition,
  sequenceKey,
  type ChaincodeDefinition,
} from './chaincode-definitions';
import { dbKeys } from './db-keys';
import type { CommittedBlock, Ledger, ProposalSimulator, SimulatorOptions, TxStatus } from './ledger';
import { checkDataFormat } from './data-format';
import { openLedgerDb, type LedgerDb } from './ledger-db';
import { reopenLedgerDb } from './ledger-reopen';
import { LedgerWriteError } from './ledger-write-error';
import { LevelProposalSimulator } from './proposal-simulator';
import { StateReader } from './state-reader';
import { encodeStateRecord, VALIDATION_PARAMETER, type Version } from './state-record';
import { TransientStore } from './transient-store';

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

export interface LedgerOptions {
  /** Directory of the LevelDB store (created if missing). */
  readonly dataDir: string;
  readonly channelId: string;
  readonly msp: MspRegistry;
  /** Chaincodes defined on the channel; a changed list is recorded in a config block at open. */
  readonly chaincodes: readonly ChaincodeDefinition[];
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
 *   PolicyParseError for a bad chaincode policy.
 */
export async function openLedger(options: LedgerOptions): Promise<DevnetLedger> {
  const orgs = options.orgs ?? options.msp.mspIds();
  const policies = new Map(options.chaincodes.map((cc) => [cc.name, chaincodePolicy(cc.policy, orgs)]));
  const db = await openLedgerDb(options.dataDir);
  try {
    const chain = await verifyChain(db, options.dataDir);
    await checkDataFormat(db, options.dataDir, chain.height, options.dataFormat);
    const guard = new WriteGuard();
    const transient = await TransientStore.open(db, options.logger, guard);
    const ledger = new LevelLedger(db, chain, transient, guard, policies, orgs, options);
    await ledger.recordDefinitions(options.chaincodes);
    return ledger;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * Whether the store may be written. After a failed write nothing more is written until the
 * store has been reopened (`reopenLedgerDb`): LevelDB may refuse writes until then, and a write
 * after a torn log record could be dropped with it at the next open.
 */
export class WriteGuard {
  #failure: Error | undefined;

  get failure(): Error | undefined {
    return this.#failure;
  }

  fail(err: unknown): void {
    this.#failure ??= err instanceof Error ? err : new Error(String(err));
  }

  clear(): void {
    this.#failure = undefined;
  }
}

class LevelLedger implements DevnetLedger {
  readonly channelId: string;
  readonly #db: LedgerDb;
  readonly #reader: StateReader;
  readonly #transient: TransientStore;
  readonly #guard: WriteGuard;
  readonly #policies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
  readonly #orgs: readonly string[];
  readonly #options: LedgerOptions;
  readonly #listeners = new Set<(block: CommittedBlock) => void>();
  readonly #definitions = new Map<
    string,
    { readonly definition: ChaincodeDefinition; readonly version: Version }
  >();
  #chain: ChainInfo;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    db: LedgerDb,
    chain: ChainInfo,
    transient: TransientStore,
    guard: WriteGuard,
    policies: ReadonlyMap<string, common.SignaturePolicyEnvelope>,
    orgs: readonly string[],
    options: LedgerOptions,
  ) {
    this.channelId = options.channelId;
    this.#db = db;
    this.#chain = chain;
    this.#reader = new StateReader(db);
    this.#transient = transient;
    this.#guard = guard;
    this.#policies = policies;
    this.#orgs = orgs;
    this.#options = options;
  }

  height(): bigint {
    return BigInt(this.#chain.height);
  }

  chaincodes(): ReadonlyMap<string, ChaincodeDefinition> {
    return new Map([...this.#definitions].map(([name, d]) => [name, d.definition]));
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
      orgs: this.#orgs,
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
        throw new LedgerWriteError(`could not write block ${this.#chain.height}: ${messageOf(err)}`, {
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
        { height: chain.height, adoptedBlocks: adopted.length, failure: messageOf(failure) },
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

  /** Loads the stored definitions and cuts a config block for new or changed ones (block 0 on a new ledger). */
  async recordDefinitions(chaincodes: readonly ChaincodeDefinition[]): Promise<void> {
    const changed: ChaincodeDefinition[] = [];
    for (const cc of chaincodes) {
      const stored = await this.#reader.getState(LIFECYCLE_NAMESPACE, definitionKey(cc.name));
      if (!sameDefinition(cc, stored)) changed.push(cc);
    }
    if (changed.length > 0 || this.#chain.height === 0) await this.#commitConfigBlock(changed);
    for (const cc of chaincodes) {
      const record = await this.#reader.getState(LIFECYCLE_NAMESPACE, sequenceKey(cc.name));
      if (record !== undefined) this.#definitions.set(cc.name, { definition: cc, version: record.version });
    }
  }

  async #commitConfigBlock(changed: readonly ChaincodeDefinition[]): Promise<void> {
    const blockNum = this.#chain.height;
    const version = { blockNum, txNum: 0 };
    const envelope = configEnvelope(this.channelId, blockNum, changed);
    const { block, headerHash } = buildBlock(
      blockNum,
      Buffer.from(this.#chain.lastHash, 'hex'),
      [envelope],
      new Uint8Array([0]),
      blockNum,
    );
    const chain: ChainInfo = {
      height: blockNum + 1,
      lastHash: headerHash.toString('hex'),
      lastConfig: blockNum,
    };
    const ops: BatchOp[] = [
      { type: 'put', key: dbKeys.block(blockNum), value: Buffer.from(block.serializeBinary()) },
      {
        type: 'put',
        key: dbKeys.header(blockNum),
        value: Buffer.from(block.getHeader()?.serializeBinary() ?? []),
      },
      { type: 'put', key: dbKeys.chainInfo, value: encodeChainInfo(chain) },
    ];
    for (const cc of changed) {
      const sequence =
        decodeSequence(await this.#reader.getState(LIFECYCLE_NAMESPACE, sequenceKey(cc.name))) + 1;
      const put = (key: string, value: Buffer): void => {
        ops.push({
          type: 'put',
          key: dbKeys.state(LIFECYCLE_NAMESPACE, key),
          value: encodeStateRecord({ value, version, metadata: new Map() }),
        });
      };
      put(sequenceKey(cc.name), encodeSequence(sequence));
      put(definitionKey(cc.name), encodeDefinition(cc));
    }
    await this.#db.batch(ops, { sync: this.#options.syncWrites ?? true });
    this.#chain = chain;
    this.#options.logger.info(
      {
        channelId: this.channelId,
        block: blockNum,
        chaincodes: changed.map((c) => `${c.name}@${c.version}`),
      },
      blockNum === 0 ? 'created genesis block' : 'recorded chaincode definitions',
    );
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
        `the ledger stopped writing after a failed write (${messageOf(failure)}); it writes again once recovered`,
        { cause: failure },
      );
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`ledger of channel ${this.channelId} is closed`);
  }
}

function messageOf(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause?.message;
  return [err instanceof Error ? err.message : String(err), cause].filter(Boolean).join(': ');
}
