import { common, peer } from '@hyperledger/fabric-protos';
import type { Contract, GatewayError, Network } from '@hyperledger/fabric-gateway';
import { blockHeaderHash } from '../src/ledger/block-hash';
import { txIdsOf } from './support/block-contents';
import { sharedDevnet } from './support/shared-devnet';

/*
 * qscc through Evaluate, as Fabric's own clients (and the peer CLI) query a peer's ledger. The
 * error texts are those a Fabric 2.5.5 peer answered the same calls with (network.sh, native).
 */
const devnet = sharedDevnet();

let network: Network;
let qscc: Contract;
let channel: string;
let txId: string;
let committedIn: bigint;

beforeAll(async () => {
  const client = await devnet.connect('hospitala-doctor');
  channel = devnet.connection.channel;
  network = client.gateway.getNetwork(channel);
  qscc = network.getContract('qscc');
  const commit = await network
    .getContract(devnet.connection.chaincode)
    .submitAsync('put', { arguments: ['q', 'v'] });
  txId = commit.getTransactionId();
  committedIn = (await commit.getStatus()).blockNumber;
});

const headerHash = (block: common.Block): Buffer => {
  const h = block.getHeader()!;
  return blockHeaderHash(BigInt(h.getNumber()), h.getPreviousHash_asU8(), h.getDataHash_asU8());
};

describe('qscc', () => {
  it('answers GetChainInfo with the height and the hashes of the last block', async () => {
    const info = common.BlockchainInfo.deserializeBinary(
      await qscc.evaluateTransaction('GetChainInfo', channel),
    );
    const last = common.Block.deserializeBinary(
      await qscc.evaluateTransaction('GetBlockByNumber', channel, String(info.getHeight() - 1)),
    );
    expect(BigInt(info.getHeight())).toBeGreaterThan(committedIn);
    expect(Buffer.from(info.getCurrentblockhash_asU8())).toEqual(headerHash(last));
    expect(Buffer.from(info.getPreviousblockhash_asU8())).toEqual(
      Buffer.from(last.getHeader()!.getPreviousHash_asU8()),
    );
  });

  it('answers blocks by number, by a transaction id and by hash, and the transaction with its code', async () => {
    const byNumber = common.Block.deserializeBinary(
      await qscc.evaluateTransaction('GetBlockByNumber', channel, String(committedIn)),
    );
    expect(BigInt(byNumber.getHeader()!.getNumber())).toBe(committedIn);
    expect(txIdsOf(byNumber)).toContain(txId);
    const byTx = common.Block.deserializeBinary(
      await qscc.evaluateTransaction('GetBlockByTxID', channel, txId),
    );
    expect(byTx.serializeBinary()).toEqual(byNumber.serializeBinary());
    const byHash = common.Block.deserializeBinary(
      await qscc.evaluate('GetBlockByHash', { arguments: [channel, headerHash(byNumber)] }),
    );
    expect(BigInt(byHash.getHeader()!.getNumber())).toBe(committedIn);
    const processed = peer.ProcessedTransaction.deserializeBinary(
      await qscc.evaluateTransaction('GetTransactionByID', channel, txId),
    );
    expect(processed.getValidationcode()).toBe(0);
    const payload = common.Payload.deserializeBinary(processed.getTransactionenvelope()!.getPayload_asU8());
    expect(
      common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId(),
    ).toBe(txId);
  });

  it.each([
    [
      ['GetBlockByNumber', 'healthchannel', '9999'],
      'Failed to get block number 9999, error no such block number [9999] in index',
    ],
    [
      ['GetBlockByNumber', 'healthchannel', 'abc'],
      'Failed to parse block number with error strconv.ParseUint: parsing "abc": invalid syntax',
    ],
    [
      ['GetTransactionByID', 'healthchannel', 'nope'],
      'Failed to get transaction with id nope, error no such transaction ID [nope] in index',
    ],
    [
      ['GetBlockByTxID', 'healthchannel', 'nope'],
      'Failed to get block for txID nope, error no such transaction ID [nope] in index',
    ],
    [['GetBlockByNumber', 'healthchannel'], 'missing 3rd argument for GetBlockByNumber'],
    [['GetChainInfo', 'otherchannel'], 'Invalid chain ID, otherchannel'],
    [
      ['Frobnicate', 'healthchannel', 'x'],
      'access denied for [Frobnicate][healthchannel]: [Unmapped policy for qscc/Frobnicate]',
    ],
  ])('refuses %j in the words of Fabric', async ([fn, ...args], message) => {
    const err = (await qscc.evaluateTransaction(fn!, ...args).catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe(2);
    expect(err.message).toBe(
      `2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, ${message}`,
    );
    expect(err.details[0]?.message).toBe(`chaincode response 500, ${message}`);
  });
});
