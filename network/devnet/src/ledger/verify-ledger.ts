import { existsSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';
import { blockDataHash, blockHeaderHash } from './block-hash';
import { decodeTxIndex } from './block-committer';
import { readChainInfo, type ChainInfo } from './block-store';
import { BlockUpdates, type PendingWrite } from './block-updates';
import {
  decodeSequence,
  definitionKey,
  encodeDefinition,
  encodeSequence,
  LIFECYCLE_NAMESPACE,
  sequenceKey,
  type ChaincodeDefinition,
} from './chaincode-definitions';
import { dbKeys, type KeyRange } from './db-keys';
import { sha256 } from './key-order';
import { openLedgerDb, type LedgerDb } from './ledger-db';
import { encodeHistoryEntry } from './state-reader';
import { decodeStateRecord, sameVersion, type StateRecord, type Version } from './state-record';
import { decodeTransaction } from './tx-decoder';
import { ExpiryReplay } from './verify-expiry';
import { applyValidTx, type CommittedRecords, type HistoryWrite } from './write-applier';

import Code = peer.TxValidationCode;

/** One inconsistency the verifier found. */
export interface VerifyProblem {
  /** The block it is in; for a state key, the block whose write the key should (or does) hold. */
  readonly block?: number;
  /**
   * The key: public state `namespace:key`, hashed private state `namespace:collection:#<key hash hex>`,
   * a private value `namespace:collection:key`, or a txId (txId index problems).
   */
  readonly key?: string;
  readonly what: string;
}

/** What `verifyLedger` found. */
export interface VerifyReport {
  /** No problem found. */
  readonly ok: boolean;
  /** Blocks stored. */
  readonly blocks: number;
  /** Transactions (envelopes) in them, config transactions included. */
  readonly transactions: number;
  /** Those marked VALID in their block's TRANSACTIONS_FILTER. */
  readonly validTransactions: number;
  /** Stored public and hashed private state entries. */
  readonly stateKeys: number;
  /** Stored private values. */
  readonly privateValues: number;
  /** Every problem found; `problems` lists at most `maxProblems` of them. */
  readonly problemCount: number;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** Problems listed in the report (all are counted); default 100. */
  readonly maxProblems?: number;
}

/**
 * Checks a ledger store against its own blocks, changing nothing:
 * - every block: its number is its position, data_hash = SHA-256 of its data, previous_hash = the
 *   previous block's header hash, the header copy equals its header, and the recorded chain info
 *   (height, last hash, last config) matches the last block;
 * - the world state rebuilt by replaying the blocks (the writes of each transaction VALID in
 *   TRANSACTIONS_FILTER, applied by the committer's own code at version (block, tx), the
 *   `_lifecycle` records of config blocks, and the private data BlockToLive purges at each block,
 *   with the committer's rules) equals the stored public and hashed private state, key
 *   by key (value, version, metadata); each stored private value hashes to its hashed entry; the
 *   history entries of the valid writes are stored; the expiry schedule holds the key hashes still to
 *   expire; and the txId index holds each transaction's
 *   first copy (block, tx, code).
 *
 * Validation codes are taken from the blocks, not judged again: signatures and endorsement policies
 * are not re-checked, so no crypto material is needed. The rebuilt state is held in memory.
 * @param ledger The LevelDB store's directory (`<data-dir>/ledger` of a devnet), opened here and
 *   closed again, or an open store (left open).
 * @throws LedgerLockedError when a running devnet holds the directory; Error when it holds no store.
 */
export async function verifyLedger(
  ledger: string | LedgerDb,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  if (typeof ledger !== 'string') return new LedgerVerifier(ledger, options.maxProblems ?? 100).run();
  // openLedgerDb creates a missing store; a check must not.
  if (!existsSync(join(ledger, 'CURRENT'))) {
    throw new Error(`no ledger store in ${ledger} (no LevelDB CURRENT file there); nothing was checked`);
  }
  const db = await openLedgerDb(ledger);
  try {
    return await new LedgerVerifier(db, options.maxProblems ?? 100).run();
  } finally {
    await db.close();
  }
}

/** The report as a few lines for a person: the counts, then each listed problem. */
export function formatVerifyReport(report: VerifyReport, location?: string): string {
  const counts =
    `${report.blocks} blocks, ${report.transactions} transactions (${report.validTransactions} valid), ` +
    `${report.stateKeys} state keys, ${report.privateValues} private values`;
  const head = `ledger${location === undefined ? '' : ` ${location}`}: ${counts}`;
  if (report.ok)
    return `${head}: OK (blocks, hash chain, world state, private values, history and txId index agree)`;
  const lines = [`${head}: ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}`];
  for (const p of report.problems) {
    const where = [
      p.block === undefined ? undefined : `block ${p.block}`,
      p.key === undefined ? undefined : `key ${JSON.stringify(p.key)}`,
    ].filter((part) => part !== undefined);
    lines.push(`  ${where.length > 0 ? `${where.join(', ')}: ` : ''}${p.what}`);
  }
  const unlisted = report.problemCount - report.problems.length;
  if (unlisted > 0) lines.push(`  … and ${unlisted} more (${report.problems.length} listed)`);
  return lines.join('\n');
}

/**
 * An MSP that accepts every creator and signature, so that `decodeTransaction` only decodes: the
 * verifier replays the codes the committer recorded instead of judging signatures again.
 */
const acceptingMsp: MspRegistry = {
  mspIds: () => [],
  validateIdentity(serialized: Buffer): VerifiedIdentity {
    const identity = msp.SerializedIdentity.deserializeBinary(serialized);
    const certificatePem = Buffer.from(identity.getIdBytes_asU8()).toString('utf8');
    return {
      mspId: identity.getMspid(),
      certificatePem,
      // Parsed only if asked for; decoding never asks.
      get certificate() {
        return new X509Certificate(certificatePem);
      },
      ou: undefined,
      serialized,
    };
  },
  verify: () => true,
};

type Space = Map<string, Map<string, StateRecord>>;

/** World state as the blocks produce it: public and hashed private records (private values are not in blocks). */
class RebuiltState implements CommittedRecords {
  readonly public: Space = new Map();
  /** `namespace\0collection` → key hash (hex) → record, as in `BlockUpdates`. */
  readonly hashed: Space = new Map();

  getState(ns: string, key: string): Promise<StateRecord | undefined> {
    return Promise.resolve(this.public.get(ns)?.get(key));
  }

  getHashed(ns: string, coll: string, keyHash: Buffer): Promise<StateRecord | undefined> {
    return Promise.resolve(this.hashed.get(`${ns}\u0000${coll}`)?.get(keyHash.toString('hex')));
  }

  getPrivate(): Promise<StateRecord | undefined> {
    return Promise.resolve(undefined);
  }

  /** Stores a block's updates, as the committer's batch does. */
  apply(updates: BlockUpdates): void {
    for (const [target, source] of [
      [this.public, updates.public],
      [this.hashed, updates.hashed],
    ] as const) {
      for (const [ns, byKey] of source) for (const write of byKey.values()) put(target, ns, write);
    }
  }
}

function put(space: Space, ns: string, write: PendingWrite): void {
  let byKey = space.get(ns);
  if (byKey === undefined) {
    byKey = new Map();
    space.set(ns, byKey);
  }
  const record = write.record;
  if (record === undefined) byKey.delete(write.key);
  else {
    byKey.set(write.key, {
      value: detached(record.value),
      version: record.version,
      metadata: new Map([...record.metadata].map(([name, value]) => [name, detached(value)])),
    });
  }
}

/**
 * A copy in memory of its own. A small Buffer is a slice of an 8 KB pool slab; keeping it would keep
 * the whole slab, and the envelope copies in it, for the rest of the run.
 */
function detached(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

class Problems {
  readonly listed: VerifyProblem[] = [];
  count = 0;

  constructor(readonly max: number) {}

  add(problem: VerifyProblem): void {
    this.count += 1;
    if (this.listed.length < this.max) this.listed.push(problem);
  }
}

/** All entries of a one-letter table of `db-keys.ts`. */
function table(letter: string): KeyRange {
  return { gte: Buffer.from(letter), lt: Buffer.from(String.fromCharCode(letter.charCodeAt(0) + 1)) };
}

function codeName(code: number): string {
  const name = Object.entries(Code).find(([, value]) => value === code)?.[0];
  return name === undefined ? `code ${code}` : `${name} (${code})`;
}

function versionText(v: Version): string {
  return `block ${v.blockNum} tx ${v.txNum}`;
}

/** A value named without showing it (state may be confidential): its length and hash prefix. */
function valueText(value: Buffer): string {
  return `${value.length} bytes, sha256 ${sha256(value).toString('hex').slice(0, 12)}…`;
}

function metadataText(metadata: ReadonlyMap<string, Buffer>): string {
  return `[${[...metadata].map(([name, value]) => `${name}: ${valueText(value)}`).join(', ')}]`;
}

function sameMetadata(a: ReadonlyMap<string, Buffer>, b: ReadonlyMap<string, Buffer>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) if (!(b.get(name)?.equals(value) ?? false)) return false;
  return true;
}

interface FirstCopy extends Version {
  readonly code: number;
}

class LedgerVerifier {
  readonly #db: LedgerDb;
  readonly #problems: Problems;
  readonly #state = new RebuiltState();
  readonly #expiry = new ExpiryReplay();
  /** txId → its first committed copy, which the txId index must name. */
  readonly #firstCopies = new Map<string, FirstCopy>();
  readonly #blocksSeen = new Set<number>();
  #channelId = '';
  #transactions = 0;
  #validTransactions = 0;
  #lastConfig = 0;
  #historyExpected = 0;

  constructor(db: LedgerDb, maxProblems: number) {
    this.#db = db;
    this.#problems = new Problems(maxProblems);
  }

  async run(): Promise<VerifyReport> {
    await this.#checkBlocks();
    await this.#checkHeaderIndex();
    await this.#checkHistoryTable();
    const stateKeys = (await this.#compareState()) + (await this.#compareHashedState());
    const privateValues = await this.#checkPrivateValues();
    await this.#expiry.compare(this.#db, (problem) => this.#problem(problem));
    await this.#checkTxIndex();
    return {
      ok: this.#problems.count === 0,
      blocks: this.#blocksSeen.size,
      transactions: this.#transactions,
      validTransactions: this.#validTransactions,
      stateKeys,
      privateValues,
      problemCount: this.#problems.count,
      problems: this.#problems.listed,
    };
  }

  #problem(problem: VerifyProblem): void {
    this.#problems.add(problem);
  }

  /** Every stored block in order: its header, the hash chain, then its replay; last the chain info. */
  async #checkBlocks(): Promise<void> {
    let position = 0;
    let previousHash: Buffer | undefined = Buffer.alloc(0);
    for await (const [key, value] of this.#db.iterator(table('b'))) {
      if (key.length !== 9) {
        this.#problem({ what: `malformed block key ${key.toString('hex')} in the block table` });
        continue;
      }
      const number = Number(key.readBigUInt64BE(1));
      if (number !== position) {
        this.#problem({
          block: position,
          what:
            number === position + 1
              ? `block ${position} is missing (the store continues with block ${number})`
              : `blocks ${position}–${number - 1} are missing (the store continues with block ${number})`,
        });
        previousHash = undefined;
      }
      this.#blocksSeen.add(number);
      position = number + 1;
      previousHash = await this.#checkBlock(number, value, previousHash);
    }
    await this.#checkChainInfo(position, previousHash);
  }

  /** @returns the block's header hash (what the next block's previous_hash must be), if readable. */
  async #checkBlock(
    number: number,
    bytes: Buffer,
    previousHash: Buffer | undefined,
  ): Promise<Buffer | undefined> {
    let block: common.Block;
    try {
      block = common.Block.deserializeBinary(bytes);
    } catch (err) {
      this.#problem({ block: number, what: `the stored block does not decode (${messageOf(err)})` });
      return undefined;
    }
    const header = block.getHeader();
    if (header === undefined) {
      this.#problem({ block: number, what: 'the stored block has no header' });
      return undefined;
    }
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    if (header.getNumber() !== number) {
      this.#problem({
        block: number,
        what: `the block stored at position ${number} says it is block ${header.getNumber()}`,
      });
    }
    if (!blockDataHash(envelopes).equals(Buffer.from(header.getDataHash_asU8()))) {
      this.#problem({ block: number, what: "data_hash does not match the SHA-256 of the block's data" });
    }
    const previous = Buffer.from(header.getPreviousHash_asU8());
    if (previousHash !== undefined && !previous.equals(previousHash)) {
      this.#problem({
        block: number,
        what:
          number === 0
            ? 'previous_hash of the genesis block is not empty'
            : `previous_hash does not match the header hash of block ${number - 1}: the hash chain is broken`,
      });
    }
    const copy = await this.#db.get(dbKeys.header(number));
    if (copy === undefined)
      this.#problem({ block: number, what: 'the header index holds no copy of its header' });
    else if (!copy.equals(Buffer.from(header.serializeBinary()))) {
      this.#problem({ block: number, what: "the header index copy differs from the block's header" });
    }
    await this.#replay(number, block, envelopes);
    return blockHeaderHash(BigInt(header.getNumber()), previous, header.getDataHash_asU8());
  }

  async #checkChainInfo(height: number, lastHash: Buffer | undefined): Promise<void> {
    let info: ChainInfo | undefined;
    try {
      info = await readChainInfo(this.#db);
    } catch (err) {
      this.#problem({ what: `the recorded chain info (m:chain) is unreadable (${messageOf(err)})` });
      return;
    }
    if (info === undefined) {
      if (height > 0)
        this.#problem({ what: `no chain info (m:chain) is recorded, but ${height} blocks are stored` });
      return;
    }
    if (info.height !== height) {
      this.#problem({
        what: `the recorded height is ${info.height}, but the stored blocks end at height ${height}`,
      });
    }
    if (lastHash !== undefined && info.lastHash !== lastHash.toString('hex')) {
      this.#problem({
        block: height - 1,
        what: "the recorded last hash (m:chain) is not the last block's header hash",
      });
    }
    if (info.lastConfig !== this.#lastConfig) {
      this.#problem({
        what: `the recorded last config block is ${info.lastConfig}, but the last config block stored is ${this.#lastConfig}`,
      });
    }
  }

  /** A header copy without its block (one with a block is compared in `#checkBlock`). */
  async #checkHeaderIndex(): Promise<void> {
    for await (const key of this.#db.keys(dbKeys.headerRange())) {
      const number = key.length === 9 ? Number(key.readBigUInt64BE(1)) : NaN;
      if (!this.#blocksSeen.has(number)) {
        this.#problem({
          ...(Number.isNaN(number) ? {} : { block: number }),
          what: 'the header index holds a header for a block that is not stored',
        });
      }
    }
  }

  /** Replays a block as the committer applied it: the VALID transactions' writes, config records. */
  async #replay(blockNum: number, block: common.Block, envelopes: readonly Uint8Array[]): Promise<void> {
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
        this.#recordCopy(decoded.txId, { blockNum, txNum, code });
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
        this.#state,
        updates,
        history,
      );
    }
    // BlockToLive: what expires at this block leaves the state with it (config blocks too).
    await this.#expiry.atBlock(blockNum, updates, this.#state);
    this.#state.apply(updates);
    this.#checkHistory(blockNum, history);
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
    this.#expiry.define(config.definitions);
    for (const def of config.definitions) {
      const sequence =
        decodeSequence(await this.#state.getState(LIFECYCLE_NAMESPACE, sequenceKey(def.name))) + 1;
      const record = (value: Buffer): StateRecord => ({ value, version, metadata: new Map() });
      put(this.#state.public, LIFECYCLE_NAMESPACE, {
        key: sequenceKey(def.name),
        record: record(encodeSequence(sequence)),
        metadataChanged: false,
      });
      put(this.#state.public, LIFECYCLE_NAMESPACE, {
        key: definitionKey(def.name),
        record: record(encodeDefinition(def)),
        metadataChanged: false,
      });
    }
  }

  /** Notes a copy of a transaction that passed the stateless checks; the first copy is the one indexed. */
  #recordCopy(txId: string, copy: FirstCopy): void {
    const first = this.#firstCopies.get(txId);
    if (first === undefined) {
      if (copy.code === Code.DUPLICATE_TXID) {
        this.#problem({
          block: copy.blockNum,
          key: txId,
          what: `transaction ${copy.txNum} is marked DUPLICATE_TXID, but no earlier copy is committed`,
        });
      } else this.#firstCopies.set(txId, copy);
    } else if (copy.code !== Code.DUPLICATE_TXID) {
      this.#problem({
        block: copy.blockNum,
        key: txId,
        what: `transaction ${copy.txNum} is marked ${codeName(copy.code)}, but its txId was committed before (${versionText(first)}): a later copy is DUPLICATE_TXID`,
      });
    }
  }

  /** Each valid write's history entry, as the committer stores it. */
  #checkHistory(blockNum: number, history: readonly HistoryWrite[]): void {
    for (const h of history) {
      this.#historyExpected += 1;
      const stored = this.#db.getSync(
        dbKeys.history(h.namespace, h.key, h.version.blockNum, h.version.txNum),
      );
      if (stored === undefined) {
        this.#problem({
          block: blockNum,
          key: `${h.namespace}:${h.key}`,
          what: `history entry of tx ${h.version.txNum} missing`,
        });
      } else if (!stored.equals(encodeHistoryEntry(h.entry))) {
        this.#problem({
          block: blockNum,
          key: `${h.namespace}:${h.key}`,
          what: `history entry of tx ${h.version.txNum} differs`,
        });
      }
    }
  }

  /** The history table holds nothing but the entries `#checkHistory` looked for. */
  async #checkHistoryTable(): Promise<void> {
    let stored = 0;
    for await (const _ of this.#db.keys(table('y'))) stored += 1;
    if (stored > this.#historyExpected) {
      this.#problem({
        what: `the history table holds ${stored - this.#historyExpected} entries more than the blocks produce`,
      });
    }
  }

  /** @returns the number of stored public state entries. */
  async #compareState(): Promise<number> {
    let count = 0;
    for await (const [key, value] of this.#db.iterator(table('s'))) {
      count += 1;
      const sep = key.indexOf(0, 1);
      if (sep < 0) {
        this.#problem({ what: `malformed state key ${key.toString('hex')}` });
        continue;
      }
      const ns = key.toString('utf8', 1, sep);
      const k = key.toString('utf8', sep + 1);
      this.#compareRecord(`${ns}:${k}`, value, this.#state.public.get(ns), k);
    }
    for (const [ns, byKey] of this.#state.public) {
      for (const [k, record] of byKey) this.#missing(`${ns}:${k}`, record);
    }
    return count;
  }

  /** @returns the number of stored hashed private state entries. */
  async #compareHashedState(): Promise<number> {
    let count = 0;
    for await (const [key, value] of this.#db.iterator(table('h'))) {
      count += 1;
      const first = key.indexOf(0, 1);
      const second = first < 0 ? -1 : key.indexOf(0, first + 1);
      if (second < 0) {
        this.#problem({ what: `malformed hashed state key ${key.toString('hex')}` });
        continue;
      }
      const ns = key.toString('utf8', 1, first);
      const coll = key.toString('utf8', first + 1, second);
      const keyHash = key.subarray(second + 1).toString('hex');
      this.#compareRecord(
        `${ns}:${coll}:#${keyHash}`,
        value,
        this.#state.hashed.get(`${ns}\u0000${coll}`),
        keyHash,
      );
    }
    for (const [space, byKey] of this.#state.hashed) {
      const [ns = '', coll = ''] = space.split('\u0000');
      for (const [keyHash, record] of byKey) this.#missing(`${ns}:${coll}:#${keyHash}`, record);
    }
    return count;
  }

  /** Compares a stored record with the rebuilt one, which it then takes out of `rebuilt` (seen). */
  #compareRecord(
    label: string,
    bytes: Buffer,
    rebuilt: Map<string, StateRecord> | undefined,
    key: string,
  ): void {
    const expected = rebuilt?.get(key);
    rebuilt?.delete(key);
    let stored: StateRecord;
    try {
      stored = decodeStateRecord(bytes);
    } catch (err) {
      this.#problem({
        ...(expected === undefined ? {} : { block: expected.version.blockNum }),
        key: label,
        what: `the stored record is unreadable (${messageOf(err)})`,
      });
      return;
    }
    if (expected === undefined) {
      this.#problem({
        block: stored.version.blockNum,
        key: label,
        what: `extra: stored (version ${versionText(stored.version)}), but no block writes it or a later one deletes it`,
      });
      return;
    }
    const differences: string[] = [];
    if (!stored.value.equals(expected.value)) {
      differences.push(
        `value (stored ${valueText(stored.value)}; the blocks give ${valueText(expected.value)})`,
      );
    }
    if (!sameVersion(stored.version, expected.version)) {
      differences.push(
        `version (stored ${versionText(stored.version)}; the blocks give ${versionText(expected.version)})`,
      );
    }
    if (!sameMetadata(stored.metadata, expected.metadata)) {
      differences.push(
        `metadata (stored ${metadataText(stored.metadata)}; the blocks give ${metadataText(expected.metadata)})`,
      );
    }
    if (differences.length > 0) {
      this.#problem({
        block: expected.version.blockNum,
        key: label,
        what: `differs from the state the blocks produce: ${differences.join('; ')}`,
      });
    }
  }

  #missing(label: string, record: StateRecord): void {
    this.#problem({
      block: record.version.blockNum,
      key: label,
      what: `missing: ${versionText(record.version)} writes it and no later block deletes it`,
    });
  }

  /** Each private value against its hashed-state entry (key hash, value hash, version). */
  async #checkPrivateValues(): Promise<number> {
    let count = 0;
    for await (const [key, value] of this.#db.iterator(table('p'))) {
      count += 1;
      const first = key.indexOf(0, 1);
      const second = first < 0 ? -1 : key.indexOf(0, first + 1);
      if (second < 0) {
        this.#problem({ what: `malformed private state key ${key.toString('hex')}` });
        continue;
      }
      const ns = key.toString('utf8', 1, first);
      const coll = key.toString('utf8', first + 1, second);
      const k = key.toString('utf8', second + 1);
      const label = `${ns}:${coll}:${k}`;
      let stored: StateRecord;
      let hashed: StateRecord | undefined;
      try {
        stored = decodeStateRecord(value);
        const hashedBytes = this.#db.getSync(dbKeys.hashed(ns, coll, sha256(k)));
        hashed = hashedBytes === undefined ? undefined : decodeStateRecord(hashedBytes);
      } catch (err) {
        this.#problem({
          key: label,
          what: `the private value or its hashed entry is unreadable (${messageOf(err)})`,
        });
        continue;
      }
      if (hashed === undefined) {
        this.#problem({
          block: stored.version.blockNum,
          key: label,
          what: 'private value without a hashed state entry (its key hash is absent)',
        });
      } else if (!sha256(stored.value).equals(hashed.value)) {
        this.#problem({
          block: hashed.version.blockNum,
          key: label,
          what: `the private value does not hash to its hashed state entry (${versionText(hashed.version)})`,
        });
      } else if (!sameVersion(stored.version, hashed.version)) {
        this.#problem({
          block: hashed.version.blockNum,
          key: label,
          what: `private value version ${versionText(stored.version)}, its hashed entry's ${versionText(hashed.version)}`,
        });
      }
    }
    return count;
  }

  /** The txId index: one entry per transaction, naming its first copy's block, index and code. */
  async #checkTxIndex(): Promise<void> {
    for await (const [key, value] of this.#db.iterator(table('x'))) {
      const txId = key.toString('utf8', 1);
      const expected = this.#firstCopies.get(txId);
      this.#firstCopies.delete(txId);
      if (value.length !== 13) {
        this.#problem({ key: txId, what: `malformed txId index entry (${value.length} bytes, not 13)` });
        continue;
      }
      const entry = decodeTxIndex(value);
      const stored = `${versionText(entry)} ${codeName(entry.code)}`;
      if (expected === undefined) {
        this.#problem({
          block: entry.blockNum,
          key: txId,
          what: `the txId index has an entry (${stored}) for a transaction no block holds`,
        });
      } else if (
        entry.blockNum !== expected.blockNum ||
        entry.txNum !== expected.txNum ||
        entry.code !== expected.code
      ) {
        this.#problem({
          block: expected.blockNum,
          key: txId,
          what: `the txId index says ${stored}; the first copy is ${versionText(expected)} ${codeName(expected.code)}`,
        });
      }
    }
    for (const [txId, copy] of this.#firstCopies) {
      this.#problem({
        block: copy.blockNum,
        key: txId,
        what: `the txId index has no entry (the first copy is ${versionText(copy)} ${codeName(copy.code)})`,
      });
    }
  }
}

interface ConfigContent {
  readonly channelId: string;
  /** undefined = the envelope does not carry them readably. */
  readonly definitions: readonly ChaincodeDefinition[] | undefined;
}

/** The view of `ConfigGroup.getValuesMap()` used here (`jspb.Map` has no types). */
interface ConfigValues {
  get(key: string): common.ConfigValue | undefined;
}

/**
 * The channel and chaincode definitions of a devnet config envelope (`configEnvelope` in
 * chaincode-definitions.ts); undefined for any other envelope.
 */
function configOf(bytes: Buffer): ConfigContent | undefined {
  let payload: common.Payload;
  let channelHeader: common.ChannelHeader;
  try {
    payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    channelHeader = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
  } catch {
    return undefined;
  }
  if (channelHeader.getType() !== common.HeaderType.CONFIG) return undefined;
  const channelId = channelHeader.getChannelId();
  try {
    const group = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8())
      .getConfig()
      ?.getChannelGroup();
    const value = (group?.getValuesMap() as unknown as ConfigValues | undefined)?.get(
      'DevnetChaincodeDefinitions',
    );
    if (value === undefined) return { channelId, definitions: undefined };
    const definitions = JSON.parse(Buffer.from(value.getValue_asU8()).toString('utf8')) as unknown;
    return {
      channelId,
      definitions: Array.isArray(definitions) ? (definitions as ChaincodeDefinition[]) : undefined,
    };
  } catch {
    return { channelId, definitions: undefined };
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
