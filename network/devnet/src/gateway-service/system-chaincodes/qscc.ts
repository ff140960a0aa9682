import { common, peer } from '@hyperledger/fabric-protos';
import type { DevnetLedger } from '../../ledger';
import { blockHeaderHash } from '../../ledger/block-hash';
import { describeBlock } from '../../ledger/block-store';
import {
  checkAcl,
  failure,
  success,
  textArg,
  type SystemInvocation,
  type SystemResponse,
} from './system-chaincode';

function headerHashOf(block: common.Block): Buffer {
  const header = block.getHeader();
  return blockHeaderHash(
    BigInt(header?.getNumber() ?? 0),
    header?.getPreviousHash_asU8() ?? new Uint8Array(),
    header?.getDataHash_asU8() ?? new Uint8Array(),
  );
}

async function chainInfo(ledger: DevnetLedger): Promise<SystemResponse> {
  const height = ledger.height();
  const last = await ledger.getRawBlock(height - 1n);
  const info = new common.BlockchainInfo();
  info.setHeight(Number(height));
  if (last !== undefined) {
    info.setCurrentblockhash(headerHashOf(last));
    info.setPreviousblockhash(last.getHeader()?.getPreviousHash_asU8() ?? new Uint8Array());
  }
  return success(info.serializeBinary());
}

async function blockByNumber(ledger: DevnetLedger, text: string): Promise<SystemResponse> {
  if (!/^\d+$/.test(text)) {
    return failure(
      `Failed to parse block number with error strconv.ParseUint: parsing "${text}": invalid syntax`,
    );
  }
  const block = await ledger.getRawBlock(BigInt(text));
  if (block === undefined)
    return failure(`Failed to get block number ${text}, error no such block number [${text}] in index`);
  return success(block.serializeBinary());
}

async function blockByHash(ledger: DevnetLedger, hash: Uint8Array): Promise<SystemResponse> {
  // Newest first: a client asks mostly for recent blocks. No hash index: a scan, fine for a devnet.
  for (let n = ledger.height() - 1n; n >= 0n; n--) {
    const block = await ledger.getRawBlock(n);
    if (block !== undefined && headerHashOf(block).equals(Buffer.from(hash)))
      return success(block.serializeBinary());
  }
  return failure(
    `Failed to get block hash ${Buffer.from(hash).toString('latin1')}, error no such block hash [${Buffer.from(hash).toString('hex')}] in index`,
  );
}

async function blockOfTx(ledger: DevnetLedger, txId: string): Promise<common.Block | undefined> {
  const status = ledger.getTxStatus(txId);
  return status === undefined ? undefined : ledger.getRawBlock(status.blockNumber);
}

async function blockByTxId(ledger: DevnetLedger, txId: string): Promise<SystemResponse> {
  const block = await blockOfTx(ledger, txId);
  if (block === undefined)
    return failure(`Failed to get block for txID ${txId}, error no such transaction ID [${txId}] in index`);
  return success(block.serializeBinary());
}

async function transactionById(ledger: DevnetLedger, txId: string): Promise<SystemResponse> {
  const status = ledger.getTxStatus(txId);
  const block = await blockOfTx(ledger, txId);
  // The first copy of the id in its block is the one the index names (later copies are duplicates).
  const index =
    block === undefined ? -1 : describeBlock(block).transactions.findIndex((t) => t.txId === txId);
  const envelope = block?.getData()?.getDataList_asU8()[index];
  if (status === undefined || envelope === undefined) {
    return failure(
      `Failed to get transaction with id ${txId}, error no such transaction ID [${txId}] in index`,
    );
  }
  const processed = new peer.ProcessedTransaction();
  processed.setTransactionenvelope(common.Envelope.deserializeBinary(envelope));
  processed.setValidationcode(status.code);
  return success(processed.serializeBinary());
}

/**
 * `qscc`, the peer's ledger query system chaincode, as Fabric 2.5's `core/scc/qscc` answers it:
 * GetChainInfo, GetBlockByNumber, GetBlockByHash, GetBlockByTxID and GetTransactionByID, each
 * with the channel as its first argument, answering Fabric's protobuf messages (BlockchainInfo,
 * Block, ProcessedTransaction) and its error texts. Each checks `qscc/<function>`
 * (`/Channel/Application/Readers`) first, so peers may query too.
 */
export async function invokeQscc(invocation: SystemInvocation): Promise<SystemResponse> {
  const { args } = invocation;
  const ledger = invocation.ctx.ledger;
  if (args.length < 2) return failure(`Incorrect number of arguments, ${args.length}`);
  const text = (i: number) => textArg(invocation, i);
  const fname = text(0);
  const channel = text(1);
  if (fname !== 'GetChainInfo' && args.length < 3) return failure(`missing 3rd argument for ${fname}`);
  if (channel !== ledger.channelId) return failure(`Invalid chain ID, ${channel}`);
  // An unknown function has no policy mapped: `Unmapped policy for qscc/<function>`.
  const refused = checkAcl(invocation, `qscc/${fname}`);
  if (refused !== undefined) return failure(`access denied for [${fname}][${channel}]: [${refused}]`);
  switch (fname) {
    case 'GetChainInfo':
      return chainInfo(ledger);
    case 'GetBlockByNumber':
      return blockByNumber(ledger, text(2));
    case 'GetBlockByHash':
      return blockByHash(ledger, args[2] ?? new Uint8Array());
    case 'GetBlockByTxID':
      return blockByTxId(ledger, text(2));
    case 'GetTransactionByID':
      return transactionById(ledger, text(2));
    default:
      return failure(`Requested function ${fname} not found.`);
  }
}
