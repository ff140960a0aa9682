import { common, orderer, peer } from '@hyperledger/fabric-protos';
import type { DevnetLedger } from '../../ledger';
import type { ProtoMap } from '../../ledger/proto-timestamp';
import type { BatchSettings } from '../block-cutter';
import { channelAcls } from './channel-acls';
import {
  capabilities,
  configGroup,
  configValue,
  implicitMeta,
  mspValue,
  signature,
  type MspCertificates,
} from './config-values';

/** What the devnet's channel is made of, for the configuration cscc answers. */
export interface ChannelMembers {
  /** The application organisations, in configuration order (one peer each). */
  readonly organisations: readonly MspCertificates[];
  /**
   * The ordering service: one node at `address` (`host:port`), served with the gateway's TLS
   * certificate. The devnet has no orderer CA, so its MSP names it without a root certificate.
   */
  readonly orderer: MspCertificates & { readonly address: string; readonly tlsCertificatePem?: string };
  readonly batch: BatchSettings;
}

/**
 * The channel's configuration (`common.Config`) as configtxgen would have made it from Fabric
 * 2.5's test-network style configtx.yaml for these members: the channel group (SHA256 hashing,
 * capability V2_0, ImplicitMeta Readers/Writers/Admins), the Application group (the ACLs, capability
 * V2_5, LifecycleEndorsement and Endorsement `MAJORITY Endorsement`, one group per organisation
 * with its MSP and the policies the devnet enforces: Readers `OR(admin, peer, client)`, Writers
 * `OR(admin, client)`, Admins `OR(admin)`, Endorsement `OR(peer)`) and the Orderer group (etcdraft
 * with one consenter, the devnet's batch settings, the orderer organisation and its endpoint).
 */
export function channelConfig(members: ChannelMembers, sequence: number): common.Config {
  const hashing = new common.HashingAlgorithm();
  hashing.setName('SHA256');
  const dataHashing = new common.BlockDataHashingStructure();
  dataHashing.setWidth(0xffffffff);
  const channel = configGroup(
    [
      configValue('HashingAlgorithm', hashing),
      configValue('BlockDataHashingStructure', dataHashing),
      capabilities('V2_0'),
    ],
    channelPolicies(),
    [
      ['Application', applicationGroup(members.organisations)],
      ['Orderer', ordererGroup(members)],
    ],
  );
  const config = new common.Config();
  config.setSequence(sequence);
  config.setChannelGroup(channel);
  return config;
}

const channelPolicies = () => [
  implicitMeta('Readers', 'ANY', 'Readers'),
  implicitMeta('Writers', 'ANY', 'Writers'),
  implicitMeta('Admins', 'MAJORITY', 'Admins'),
];

function applicationGroup(organisations: readonly MspCertificates[]): common.ConfigGroup {
  const acls = new peer.ACLs();
  const map = acls.getAclsMap() as unknown as ProtoMap<peer.APIResource>;
  for (const [resource, policy] of Object.entries(channelAcls)) {
    const api = new peer.APIResource();
    api.setPolicyRef(`/Channel/Application/${policy}`);
    map.set(resource, api);
  }
  return configGroup(
    [configValue('ACLs', acls), capabilities('V2_5')],
    [
      ...channelPolicies(),
      implicitMeta('LifecycleEndorsement', 'MAJORITY', 'Endorsement'),
      implicitMeta('Endorsement', 'MAJORITY', 'Endorsement'),
    ],
    organisations.map((org) => {
      const id = org.mspId;
      const group = configGroup(
        [mspValue(org)],
        [
          signature('Readers', `OR('${id}.admin', '${id}.peer', '${id}.client')`),
          signature('Writers', `OR('${id}.admin', '${id}.client')`),
          signature('Admins', `OR('${id}.admin')`),
          signature('Endorsement', `OR('${id}.peer')`),
        ],
      );
      return [id, group] as const;
    }),
  );
}

function ordererGroup(members: ChannelMembers): common.ConfigGroup {
  const { batch, orderer: node } = members;
  const size = new orderer.BatchSize();
  size.setMaxMessageCount(batch.maxMessageCount);
  size.setAbsoluteMaxBytes(batch.absoluteMaxBytes);
  size.setPreferredMaxBytes(batch.preferredMaxBytes);
  const timeout = new orderer.BatchTimeout();
  timeout.setTimeout(goDuration(batch.batchTimeoutMs));
  const restrictions = new orderer.ChannelRestrictions();
  restrictions.setMaxCount(0);
  const consensus = new orderer.ConsensusType();
  consensus.setType('etcdraft');
  consensus.setMetadata(raftMetadata(node.address, node.tlsCertificatePem).serializeBinary());
  consensus.setState(orderer.ConsensusType.State.STATE_NORMAL);
  const endpoints = new common.OrdererAddresses();
  endpoints.setAddressesList([node.address]);
  const id = node.mspId;
  const org = configGroup(
    [mspValue(node), configValue('Endpoints', endpoints)],
    [
      signature('Readers', `OR('${id}.member')`),
      signature('Writers', `OR('${id}.member')`),
      signature('Admins', `OR('${id}.admin')`),
    ],
  );
  return configGroup(
    [
      configValue('BatchSize', size),
      configValue('BatchTimeout', timeout),
      configValue('ChannelRestrictions', restrictions),
      capabilities('V2_0'),
      configValue('ConsensusType', consensus),
    ],
    [...channelPolicies(), implicitMeta('BlockValidation', 'ANY', 'Writers')],
    [[id, org]],
  );
}

/** One consenter at `address`, with configtxgen's default raft options. */
function raftMetadata(
  address: string,
  tlsCertificatePem: string | undefined,
): orderer.etcdraft.ConfigMetadata {
  const colon = address.lastIndexOf(':');
  const consenter = new orderer.etcdraft.Consenter();
  consenter.setHost(address.slice(0, colon));
  consenter.setPort(Number(address.slice(colon + 1)));
  if (tlsCertificatePem !== undefined) {
    consenter.setClientTlsCert(Buffer.from(tlsCertificatePem));
    consenter.setServerTlsCert(Buffer.from(tlsCertificatePem));
  }
  const options = new orderer.etcdraft.Options();
  options.setTickInterval('500ms');
  options.setElectionTick(10);
  options.setHeartbeatTick(1);
  options.setMaxInflightBlocks(5);
  options.setSnapshotIntervalSize(16 * 1024 * 1024);
  const metadata = new orderer.etcdraft.ConfigMetadata();
  metadata.setConsentersList([consenter]);
  metadata.setOptions(options);
  return metadata;
}

/** Milliseconds as Go's `time.Duration.String()` writes them: `20ms`, `2s`, `1.5s`, `1m30s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  return `${Math.floor(ms / 60_000)}m${(ms % 60_000) / 1000}s`;
}

/**
 * The sequence of the channel's configuration: that of the config envelope in the block the last
 * block names as its last config (`OrdererBlockMetadata.last_config`), as a peer tracks it.
 */
export async function configSequence(ledger: DevnetLedger): Promise<number> {
  const last = await ledger.getRawBlock(ledger.height() - 1n);
  const signatures = last?.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  const lastConfig = common.OrdererBlockMetadata.deserializeBinary(
    common.Metadata.deserializeBinary(signatures ?? new Uint8Array()).getValue_asU8(),
  )
    .getLastConfig()
    ?.getIndex();
  const block = await ledger.getRawBlock(BigInt(lastConfig ?? 0));
  const envelope = block?.getData()?.getDataList_asU8()[0];
  if (envelope === undefined) return 0;
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelope).getPayload_asU8(),
  );
  return common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig()?.getSequence() ?? 0;
}
