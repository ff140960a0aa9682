import { common, peer } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderHash } from './block-hash';
import { dbKeys } from './db-keys';
import type { CommittedBlock, CommittedTransaction } from './ledger';
import type { LedgerDb } from './ledger-db';

/** What the store records, in the same batch as each block, about the chain. */
export interface ChainInfo {
  readonly height: number;
  /** Header hash of the last block (hex); '' for an empty ledger. */
  readonly lastHash: string;
  /** Number of the last config block (Fabric's LAST_CONFIG metadata). */
  readonly lastConfig: number;
}

export const emptyChain: ChainInfo = { height: 0, lastHash: '', lastConfig: 0 };

/** The store is inconsistent (a truncated, partial or tampered write); the message says where. */
export class LedgerCorruptError extends Error {
  override readonly name = 'LedgerCorruptError';
}

/**
 * Builds a `common.Block` as Fabric's orderer and committer leave it: header (number,
 * previous_hash, data_hash), data = the envelopes, and the five metadata entries with
 * TRANSACTIONS_FILTER holding one validation code per transaction.
 */
export function buildBlock(
  number: number,
  previousHash: Buffer,
  envelopes: readonly Uint8Array[],
  filter: Uint8Array,
  lastConfig: number,
): { block: common.Block; headerHash: Buffer } {
  const dataHash = blockDataHash(envelopes);
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(previousHash);
  header.setDataHash(dataHash);
  const data = new common.BlockData();
  data.setDataList([...envelopes]);
  const lastConfigMsg = new common.LastConfig();
  lastConfigMsg.setIndex(lastConfig);
  const signatures = new common.Metadata();
  const ordererMetadata = new common.OrdererBlockMetadata();
  ordererMetadata.setLastConfig(lastConfigMsg);
  signatures.setValue(ordererMetadata.serializeBinary());
  const lastConfigMetadata = new common.Metadata();
  lastConfigMetadata.setValue(lastConfigMsg.serializeBinary());
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([
    signatures.serializeBinary(),
    lastConfigMetadata.serializeBinary(),
    filter,
    new Uint8Array(0),
    new Uint8Array(0),
  ]);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return { block, headerHash: blockHeaderHash(BigInt(number), previousHash, dataHash) };
}

export function encodeChainInfo(info: ChainInfo): Buffer {
  return Buffer.from(JSON.stringify(info));
}

export async function readChainInfo(db: LedgerDb): Promise<ChainInfo | undefined> {
  const bytes = await db.get(dbKeys.chainInfo);
  return bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as ChainInfo);
}

export async function readBlock(db: LedgerDb, number: number): Promise<common.Block | undefined> {
  const bytes = await db.get(dbKeys.block(number));
  return bytes === undefined ? undefined : common.Block.deserializeBinary(bytes);
}

/**
 * Checks the store at start-up: the header hash chain of every block, that the recorded
 * state height matches the last stored block (no block beyond it, none missing), and the
 * last block's data hash and header. A crash cannot leave a partial block (each block is one
 * atomic LevelDB batch), so any mismatch means damage, and the ledger refuses to start.
 * @throws LedgerCorruptError naming the block and the problem.
 */
export async function verifyChain(db: LedgerDb, location: string): Promise<ChainInfo> {
  const info = (await readChainInfo(db)) ?? emptyChain;
  const corrupt = (detail: string): LedgerCorruptError =>
    new LedgerCorruptError(
      `ledger in ${location} is inconsistent: ${detail}; restore the data directory from a backup or remove it to start afresh`,
    );
  let expectedNumber = 0;
  let previousHash: Buffer = Buffer.alloc(0);
  for await (const [key, value] of db.iterator(dbKeys.headerRange())) {
    const number = Number(key.readBigUInt64BE(1));
    if (number !== expectedNumber) throw corrupt(`block ${expectedNumber} is missing from the header index`);
    const header = common.BlockHeader.deserializeBinary(value);
    if (!Buffer.from(header.getPreviousHash_asU8()).equals(previousHash)) {
      throw corrupt(`hash chain broken at block ${number}: previous_hash does not match block ${number - 1}`);
    }
    previousHash = blockHeaderHash(BigInt(number), header.getPreviousHash_asU8(), header.getDataHash_asU8());
    expectedNumber += 1;
  }
  if (expectedNumber !== info.height) {
    throw corrupt(`state records height ${info.height} but the block store holds ${expectedNumber} blocks`);
  }
  if (info.height === 0) return info;
  if (previousHash.toString('hex') !== info.lastHash) {
    throw corrupt(`the recorded hash of block ${info.height - 1} does not match its header`);
  }
  const last = info.height - 1;
  const block = await readBlock(db, last).catch(() => undefined);
  const header = block?.getHeader();
  if (block === undefined || header === undefined) throw corrupt(`block ${last} is missing or unreadable`);
  const dataHash = blockDataHash(block.getData()?.getDataList_asU8() ?? []);
  if (!dataHash.equals(Buffer.from(header.getDataHash_asU8())) || header.getNumber() !== last) {
    throw corrupt(`block ${last} does not match its header (data hash or number differs)`);
  }
  const beyond = await db.get(dbKeys.block(info.height));
  if (beyond !== undefined) throw corrupt(`block ${info.height} is stored beyond the recorded height`);
  return info;
}

/** The seam's view of a stored block: each transaction's id, code, chaincode and (if VALID) event. */
export function describeBlock(block: common.Block): CommittedBlock {
  const filter =
    block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ??
    new Uint8Array();
  const transactions = (block.getData()?.getDataList_asU8() ?? []).map((bytes, i) =>
    describeTransaction(bytes, filter[i] ?? peer.TxValidationCode.NOT_VALIDATED),
  );
  return { number: BigInt(block.getHeader()?.getNumber() ?? 0), transactions };
}

function describeTransaction(bytes: Uint8Array, code: number): CommittedTransaction {
  try {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
    );
    const channelHeader = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    const txId = channelHeader.getTxId();
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION)
      return { txId, code, chaincodeId: undefined };
    const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
    const chaincodeId = extension.getChaincodeId()?.getName();
    if (code !== peer.TxValidationCode.VALID) return { txId, code, chaincodeId };
    const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(
      action?.getPayload_asU8() ?? new Uint8Array(),
    ).getAction();
    const prp = peer.ProposalResponsePayload.deserializeBinary(
      endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array(),
    );
    const events = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()).getEvents_asU8();
    if (events.length === 0) return { txId, code, chaincodeId };
    const event = peer.ChaincodeEvent.deserializeBinary(events);
    return {
      txId,
      code,
      chaincodeId,
      event: {
        chaincodeId: event.getChaincodeId(),
        eventName: event.getEventName(),
        payload: Buffer.from(event.getPayload_asU8()),
      },
    };
  } catch {
    return { txId: '', code, chaincodeId: undefined };
  }
}
