import { common, peer } from '@hyperledger/fabric-protos';
import type { CollectionConfig } from '../network-config/collection-config';
import type { EndorsementPolicySpec } from '../policy/chaincode-policy';
import { protoTimestamp, type ProtoMap } from './proto-timestamp';
import type { StateRecord } from './state-record';

/** A chaincode the channel has defined: name, version, chaincode-level endorsement policy, collections. */
export interface ChaincodeDefinition {
  readonly name: string;
  readonly version: string;
  readonly policy: EndorsementPolicySpec;
  /**
   * Its explicit private data collections (Fabric's collection-config JSON, defaults filled in:
   * `canonicalCollection`); absent or empty = none. Part of the definition: a change is a new sequence.
   */
  readonly collections?: readonly CollectionConfig[];
}

export const LIFECYCLE_NAMESPACE = '_lifecycle';

/** The `_lifecycle` key every endorsement reads (§2.2 step 6). */
export function sequenceKey(chaincode: string): string {
  return `namespaces/fields/${chaincode}/Sequence`;
}

/** Where the devnet keeps the rest of a definition (its version and policy), as JSON. */
export function definitionKey(chaincode: string): string {
  return `namespaces/fields/${chaincode}/DevnetDefinition`;
}

export function encodeSequence(sequence: number): Buffer {
  const data = new peer.lifecycle.StateData();
  data.setInt64(sequence);
  return Buffer.from(data.serializeBinary());
}

export function decodeSequence(record: StateRecord | undefined): number {
  return record === undefined ? 0 : peer.lifecycle.StateData.deserializeBinary(record.value).getInt64();
}

/** The definition as recorded: collections only when there are some (older records have none). */
export function encodeDefinition(def: ChaincodeDefinition): Buffer {
  const collections = def.collections ?? [];
  return Buffer.from(
    JSON.stringify({
      name: def.name,
      version: def.version,
      policy: def.policy,
      ...(collections.length === 0 ? {} : { collections }),
    }),
  );
}

/** A recorded definition (`encodeDefinition`). */
export function decodeDefinition(record: StateRecord): ChaincodeDefinition {
  return JSON.parse(record.value.toString('utf8')) as ChaincodeDefinition;
}

export function sameDefinition(def: ChaincodeDefinition, stored: StateRecord | undefined): boolean {
  return stored !== undefined && stored.value.equals(encodeDefinition(def));
}

/**
 * The one envelope of a devnet config block: a CONFIG transaction whose ConfigEnvelope
 * carries the channel name and, under the value `DevnetChaincodeDefinitions`, the chaincode
 * definitions it (re)defines as JSON. Block 0 is such a block, so that user transactions
 * start at block 1 as on a Fabric channel; a later one is cut when the configured
 * chaincodes change. It is created by the ledger itself and carries no signature.
 */
export function configEnvelope(
  channelId: string,
  sequence: number,
  definitions: readonly ChaincodeDefinition[],
): Buffer {
  const value = new common.ConfigValue();
  value.setValue(Buffer.from(JSON.stringify(definitions)));
  const group = new common.ConfigGroup();
  (group.getValuesMap() as unknown as ProtoMap<common.ConfigValue>).set('DevnetChaincodeDefinitions', value);
  const config = new common.Config();
  config.setSequence(sequence);
  config.setChannelGroup(group);
  const configEnvelopeMsg = new common.ConfigEnvelope();
  configEnvelopeMsg.setConfig(config);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setChannelId(channelId);
  channelHeader.setTimestamp(protoTimestamp(Date.now()));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configEnvelopeMsg.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return Buffer.from(envelope.serializeBinary());
}
