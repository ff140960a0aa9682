import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';
import type { Contract, Network } from '@hyperledger/fabric-gateway';
import { loadOrganization } from '@careledger/fabric-toolkit';
import { blockHeaderHash } from '../src/ledger/block-hash';
import { txIdsOf } from './support/block-contents';
import { sharedDevnet } from './support/shared-devnet';
import {
  asPeer,
  definitionArgs,
  entries,
  entry,
  expectRefusal,
  groupOf,
  valueOf,
} from './support/system-chaincode-calls';

/*
 * qscc, cscc and _lifecycle through Evaluate, as Fabric's own clients (and the peer CLI) query a
 * peer. The qscc error texts are those a Fabric 2.5.5 peer answered the same calls with
 * (network.sh, native); the cscc and _lifecycle ones are read from Fabric 2.5.5's source.
 */
const devnet = sharedDevnet();

let network: Network;
let qscc: Contract;
let cscc: Contract;
let lifecycle: Contract;
let channel: string;
let txId: string;
let committedIn: bigint;

beforeAll(async () => {
  const client = await devnet.connect('hospitala-doctor');
  channel = devnet.connection.channel;
  network = client.gateway.getNetwork(channel);
  qscc = network.getContract('qscc');
  cscc = network.getContract('cscc');
  lifecycle = network.getContract('_lifecycle');
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
    await expectRefusal(qscc, fn!, args, `chaincode response 500, ${message}`);
  });
});

const ORGS = ['HospitalAMSP', 'HospitalBMSP', 'LabMSP', 'PharmacyMSP'];

describe('cscc', () => {
  it('answers GetChannelConfig with the application organisations and their MSPs, the ACLs and the orderer', async () => {
    const config = common.Config.deserializeBinary(
      await cscc.evaluateTransaction('GetChannelConfig', channel),
    );
    expect(config.getSequence()).toBe(0); // the genesis block is the only config block
    const root = config.getChannelGroup()!;
    expect(entries(root.getGroupsMap()).map(([k]) => k)).toEqual(['Application', 'Orderer']);
    const application = groupOf(root, 'Application');
    expect(entries(application.getGroupsMap()).map(([k]) => k)).toEqual(ORGS);
    for (const mspId of ORGS) {
      const org = groupOf(application, mspId);
      const fabricMsp = msp.FabricMSPConfig.deserializeBinary(
        msp.MSPConfig.deserializeBinary(valueOf(org, 'MSP')).getConfig_asU8(),
      );
      expect(fabricMsp.getName()).toBe(mspId);
      const layout = await loadOrganization(join(devnet.dataDir, 'crypto'), mspId);
      const root = new X509Certificate(Buffer.from(fabricMsp.getRootCertsList_asU8()[0]!));
      expect(root.toString()).toBe(new X509Certificate(await readFile(layout.caCertPath)).toString());
      expect(new X509Certificate(await readFile(layout.nodes[0]!.certPath)).checkIssued(root)).toBe(true);
      expect(fabricMsp.getFabricNodeOus()?.getEnable()).toBe(true);
      expect(entries(org.getPoliciesMap()).map(([k]) => k)).toEqual([
        'Admins',
        'Endorsement',
        'Readers',
        'Writers',
      ]);
    }
    const acls = peer.ACLs.deserializeBinary(valueOf(application, 'ACLs'));
    expect(entry<peer.APIResource>(acls.getAclsMap(), 'cscc/GetChannelConfig')?.getPolicyRef()).toBe(
      '/Channel/Application/Readers',
    );
    const ordererGroup = groupOf(root, 'Orderer');
    expect(orderer.ConsensusType.deserializeBinary(valueOf(ordererGroup, 'ConsensusType')).getType()).toBe(
      'etcdraft',
    );
    expect(orderer.BatchSize.deserializeBinary(valueOf(ordererGroup, 'BatchSize')).getMaxMessageCount()).toBe(
      500,
    );
    const ordererOrg = groupOf(ordererGroup, 'OrdererMSP');
    expect(
      common.OrdererAddresses.deserializeBinary(valueOf(ordererOrg, 'Endpoints')).getAddressesList(),
    ).toEqual([`orderer.careledger.local:${devnet.connection.gatewayEndpoint.split(':')[1]}`]);
  });

  it('lets a peer identity (a channel reader) read the configuration and query qscc', async () => {
    const reader = await asPeer(devnet, 'LabMSP');
    const config = common.Config.deserializeBinary(
      await reader.getContract('cscc').evaluateTransaction('GetChannelConfig', channel),
    );
    expect(config.getChannelGroup()).toBeDefined();
    const info = common.BlockchainInfo.deserializeBinary(
      await reader.getContract('qscc').evaluateTransaction('GetChainInfo', channel),
    );
    expect(info.getHeight()).toBeGreaterThan(0);
  });

  it.each([
    [['GetChannelConfig'], 'Incorrect number of arguments, 1'],
    [['GetChannelConfig', ''], 'empty channel name provided'],
    [
      ['GetChannelConfig', 'otherchannel'],
      'access denied for [GetChannelConfig][otherchannel]: Failed to get policy manager for channel [otherchannel]',
    ],
    [['Frobnicate', 'healthchannel'], 'Requested function Frobnicate not found.'],
  ])('refuses %j in the words of Fabric', async ([fn, ...args], message) => {
    await expectRefusal(cscc, fn!, args, `chaincode response 500, ${message}`);
  });
});

describe('_lifecycle', () => {
  const expectCommitted = (
    def:
      | peer.lifecycle.QueryChaincodeDefinitionResult
      | peer.lifecycle.QueryChaincodeDefinitionsResult.ChaincodeDefinition,
  ) => {
    expect(def.getSequence()).toBe(1);
    expect(def.getVersion()).toBe('1.0');
    expect(def.getEndorsementPlugin()).toBe('escc');
    expect(def.getValidationPlugin()).toBe('vscc');
    expect(def.getInitRequired()).toBe(false);
    expect(def.getCollections()?.getConfigList()).toEqual([]);
    // The devnet's default policy MAJORITY is Fabric's default: MAJORITY Endorsement of the channel.
    const policy = common.ApplicationPolicy.deserializeBinary(def.getValidationParameter_asU8());
    expect(policy.getChannelConfigPolicyReference()).toBe('/Channel/Application/Endorsement');
  };

  it('answers QueryChaincodeDefinition with the committed definition, approved by every organisation', async () => {
    const def = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(
      await lifecycle.evaluate('QueryChaincodeDefinition', { arguments: [definitionArgs('basic')] }),
    );
    expectCommitted(def);
    expect(Object.fromEntries(entries<boolean>(def.getApprovalsMap()))).toEqual(
      Object.fromEntries(ORGS.map((org) => [org, true])),
    );
  });

  it('answers QueryChaincodeDefinitions with each committed chaincode', async () => {
    const all = peer.lifecycle.QueryChaincodeDefinitionsResult.deserializeBinary(
      await lifecycle.evaluate('QueryChaincodeDefinitions', {
        arguments: [new peer.lifecycle.QueryChaincodeDefinitionsArgs().serializeBinary()],
      }),
    ).getChaincodeDefinitionsList();
    expect(all.map((d) => d.getName())).toEqual(['basic']);
    expectCommitted(all[0]!);
  });

  it('answers 404 for a chaincode that is not defined, as Fabric does', async () => {
    await expectRefusal(
      lifecycle,
      'QueryChaincodeDefinition',
      [definitionArgs('nope')],
      'chaincode response 404, namespace nope is not defined',
    );
  });

  it.each([
    [
      ['Frobnicate', 'x'],
      'Failed to authorize invocation due to failed ACL check: Unmapped policy for _lifecycle/Frobnicate',
    ],
    [['QueryChaincodeDefinition'], 'lifecycle scc operations require exactly two arguments but received 1'],
  ])('refuses %j in the words of Fabric', async ([fn, ...args], message) => {
    await expectRefusal(lifecycle, fn!, args, `chaincode response 500, ${message}`);
  });

  it('refuses a peer identity, which is no channel writer (_lifecycle/QueryChaincodeDefinition is Writers)', async () => {
    const reader = await asPeer(devnet, 'HospitalBMSP');
    await expectRefusal(
      reader.getContract('_lifecycle'),
      'QueryChaincodeDefinition',
      [definitionArgs('basic')],
      "chaincode response 500, Failed to authorize invocation due to failed ACL check: failed evaluating policy on signed data during check policy [/Channel/Application/Writers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied]",
    );
  });
});
