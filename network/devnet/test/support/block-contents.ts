import { common } from '@hyperledger/fabric-protos';

/** The transaction ids of a block's envelopes, in order. */
export function txIdsOf(block: common.Block): string[] {
  return (block.getData()?.getDataList_asU8() ?? []).map((e) => {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(e).getPayload_asU8());
    return common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId();
  });
}
