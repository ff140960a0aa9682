import { common } from '@hyperledger/fabric-protos';
import type { ChaincodeDefinition } from './chaincode-definitions';

/** What the verifier reads of a config transaction. */
export interface ConfigContent {
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
export function configOf(bytes: Buffer): ConfigContent | undefined {
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
