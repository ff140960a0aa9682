import { common, peer } from '@hyperledger/fabric-protos';
import { acceptingMsp } from './accepting-msp';
import { BlockUpdates } from './block-updates';
import {
  decodeSequence,
  definitionKey,
  encodeDefinition,
  encodeSequence,
  LIFECYCLE_NAMESPACE,
  sequenceKey,
} from './chaincode-definitions';
import { configOf, type ConfigContent } from './config-content';
import type { HistoryCheck } from './history-check';
import { codeName } from './problem-text';
import { RebuiltState } from './rebuilt-state';
import type { StateRecord } from './state-record';
import type { TxIndexCheck } from './tx-index-check';
import { decodeTransaction } from './tx-decoder';
import { ExpiryReplay } from './verify-expiry';
import type { ReportProblem } from './verify-report';
import { applyValidTx, type HistoryWrite } from './write-applier';

import Code = peer.TxValidationCode;

export interface BlockReplayOptions {
  readonly problem: ReportProblem;
  /** Told each block's valid writes, to look for their history entries. */
  readonly history: HistoryCheck;
  /** Told each copy of a transaction, to compare the txId index with. */
  readonly txIndex: TxIndexCheck;
}

/**
 * The blocks replayed in order as the committer applied them, into a `RebuiltState`: the writes
 * of each transaction VALID in TRANSACTIONS_FILTER (by the committer's own `applyValidTx`, at
 * version (block, tx)), the `_lifecycle` records of config blocks, and what BlockToLive purges.
 */
export class BlockReplay {
  readonly state = new RebuiltState();
  readonly expiry = new ExpiryReplay();
  readonly #problem: ReportProblem;
  readonly #history: HistoryCheck;
  readonly #txIndex: TxIndexCheck;
  #channelId = '';
  #transactions = 0;
  #validTransactions = 0;
  #lastConfig = 0;

  constructor(options: Readonly<BlockReplayOptions>) {
    this.#problem = options.problem;
    this.#history = options.history;
    this.#txIndex = options.txIndex;
  }

  /** Transactions replayed, config transactions included. */
  get transactions(): number {
    return this.#transactions;
  }

  /** Those marked VALID in their block's TRANSACTIONS_FILTER. */
  get validTransactions(): number {
    return this.#validTransactions;
  }

  /** The last block with a VALID config transaction (0 before any). */
  get lastConfig(): number {
    return this.#lastConfig;
  }

  /** Replays a block as the committer applied it: the VALID transactions' writes, config records. */
  async replay(blockNum: number, block: common.Block, envelopes: readonly Uint8Array[]): Promise<void> {
    const filter =
      block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ??
      new Uint8Array();
    if (filter.length !== envelopes.length) {
      this.#problem({
        block: blockNum,
        what: `TRANSACTIONS_FILTER holds ${filter.length} codes for ${envelopes.length} transactions`,
      });
    }
    const updates = new BlockUpdates();
    const history: HistoryWrite[] = [];
    for (let txNum = 0; txNum < envelopes.length; txNum += 1) {
      const envelope = envelopes[txNum] ?? new Uint8Array();
      const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
      const code = filter[txNum] ?? Code.NOT_VALIDATED;
      this.#transactions += 1;
      if (code === Code.VALID) this.#validTransactions += 1;
      const config = configOf(bytes);
      if (config !== undefined) {
        if (code === Code.VALID) await this.#applyConfig(blockNum, txNum, config);
        continue;
      }
      const decoded = decodeTransaction(bytes, this.#channelId, acceptingMsp);
      if (decoded.code === Code.VALID && decoded.txId !== undefined && code !== Code.BAD_CREATOR_SIGNATURE) {
        this.#txIndex.recordCopy(decoded.txId, { blockNum, txNum, code });
      }
      if (code !== Code.VALID) continue;
      const action = decoded.action;
      if (decoded.code !== Code.VALID || decoded.dispatchCode !== Code.VALID || action === undefined) {
        const failed = decoded.code !== Code.VALID ? decoded.code : decoded.dispatchCode;
        this.#problem({
          block: blockNum,
          what: `transaction ${txNum} is marked VALID, but it does not decode as a valid endorser transaction (${codeName(failed)})`,
        });
        continue;
      }
      await applyValidTx(
        {
          txId: decoded.txId ?? '',
          version: { blockNum, txNum },
          timestamp: decoded.timestamp,
          namespaces: action.namespaces,
          privateRwset: undefined,
        },
        this.state,
        updates,
        history,
      );
    }
    // BlockToLive: what expires at this block leaves the state with it (config blocks too).
    await this.expiry.atBlock(blockNum, updates, this.state);
    this.state.apply(updates);
    this.#history.check(blockNum, history);
  }

  /** What `LevelLedger.#commitConfigBlock` writes: each definition's sequence (one up) and the definition. */
  async #applyConfig(blockNum: number, txNum: number, config: ConfigContent): Promise<void> {
    // Block 0 is a config block: it names the channel the transactions must be of.
    if (this.#channelId === '') this.#channelId = config.channelId;
    this.#lastConfig = blockNum;
    if (config.definitions === undefined) {
      this.#problem({
        block: blockNum,
        what: `config transaction ${txNum} carries no readable chaincode definitions`,
      });
      return;
    }
    const version = { blockNum, txNum: 0 };
    this.expiry.define(config.definitions);
    for (const def of config.definitions) {
      const sequence =
        decodeSequence(await this.state.getState(LIFECYCLE_NAMESPACE, sequenceKey(def.name))) + 1;
      const record = (value: Buffer): StateRecord => ({ value, version, metadata: new Map() });
      this.state.putPublic(LIFECYCLE_NAMESPACE, {
        key: sequenceKey(def.name),
        record: record(encodeSequence(sequence)),
        metadataChanged: false,
      });
      this.state.putPublic(LIFECYCLE_NAMESPACE, {
        key: definitionKey(def.name),
        record: record(encodeDefinition(def)),
        metadataChanged: false,
      });
    }
  }
}
