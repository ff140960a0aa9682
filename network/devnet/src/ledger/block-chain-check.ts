import { common } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderHash } from './block-hash';
import type { BlockReplay } from './block-replay';
import { readChainInfo, type ChainInfo } from './block-store';
import { dbKeys } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { messageOf } from '../error-message';
import type { ReportProblem } from './verify-report';

export interface BlockChainCheckOptions {
  readonly db: LedgerDb;
  readonly problem: ReportProblem;
  /** Given each readable block, in order, after its header is checked. */
  readonly replay: BlockReplay;
}

/**
 * Checks the stored blocks as a chain: every block's number is its position, data_hash = SHA-256 of
 * its data, previous_hash = the previous block's header hash, the header copy equals its header,
 * the recorded chain info (height, last hash, last config) matches the last block, and no header
 * copy is left without its block. Each readable block is replayed on the way.
 * @returns the number of blocks stored.
 */
export async function checkBlockChain(options: Readonly<BlockChainCheckOptions>): Promise<number> {
  const check = new BlockChainCheck(options);
  await check.checkBlocks();
  await check.checkHeaderIndex();
  return check.blocksSeen.size;
}

class BlockChainCheck {
  readonly blocksSeen = new Set<number>();
  readonly #db: LedgerDb;
  readonly #problem: ReportProblem;
  readonly #replay: BlockReplay;

  constructor(options: Readonly<BlockChainCheckOptions>) {
    this.#db = options.db;
    this.#problem = options.problem;
    this.#replay = options.replay;
  }

  /** Every stored block in order: its header, the hash chain, then its replay; last the chain info. */
  async checkBlocks(): Promise<void> {
    let position = 0;
    let previousHash: Buffer | undefined = Buffer.alloc(0);
    for await (const [key, value] of this.#db.iterator(dbKeys.tableRange('block'))) {
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
      this.blocksSeen.add(number);
      position = number + 1;
      previousHash = await this.#checkBlock(number, value, previousHash);
    }
    await this.#checkChainInfo(position, previousHash);
  }

  /** A header copy without its block (one with a block is compared in `#checkBlock`). */
  async checkHeaderIndex(): Promise<void> {
    for await (const key of this.#db.keys(dbKeys.headerRange())) {
      const number = key.length === 9 ? Number(key.readBigUInt64BE(1)) : NaN;
      if (!this.blocksSeen.has(number)) {
        this.#problem({
          ...(Number.isNaN(number) ? {} : { block: number }),
          what: 'the header index holds a header for a block that is not stored',
        });
      }
    }
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
    await this.#replay.replay(number, block, envelopes);
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
    const lastConfig = this.#replay.lastConfig;
    if (info.lastConfig !== lastConfig) {
      this.#problem({
        what: `the recorded last config block is ${info.lastConfig}, but the last config block stored is ${lastConfig}`,
      });
    }
  }
}
