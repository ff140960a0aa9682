import { common, peer } from '@hyperledger/fabric-protos';

/** The chaincode event of one endorser transaction's actions, without its payload, if it set one. */
function filteredActions(transaction: Uint8Array): peer.FilteredTransactionActions {
  const actions = new peer.FilteredTransactionActions();
  for (const action of peer.Transaction.deserializeBinary(transaction).getActionsList()) {
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
    if (endorsed === undefined) continue;
    const extension = peer.ProposalResponsePayload.deserializeBinary(
      endorsed.getProposalResponsePayload_asU8(),
    ).getExtension_asU8();
    const event = peer.ChaincodeEvent.deserializeBinary(
      peer.ChaincodeAction.deserializeBinary(extension).getEvents_asU8(),
    );
    if (event.getChaincodeId() === '') continue;
    const stripped = new peer.ChaincodeEvent();
    stripped.setTxId(event.getTxId());
    stripped.setChaincodeId(event.getChaincodeId());
    stripped.setEventName(event.getEventName());
    const filtered = new peer.FilteredChaincodeAction();
    filtered.setChaincodeEvent(stripped);
    actions.addChaincodeActions(filtered);
  }
  return actions;
}

/**
 * A block as DeliverFiltered sends it (Fabric's core/peer/deliverevents.go): per transaction its
 * id, header type and validation code, and for an endorser transaction its chaincode events
 * without their payloads.
 */
export function filteredBlockOf(block: common.Block): peer.FilteredBlock {
  const filtered = new peer.FilteredBlock();
  filtered.setNumber(block.getHeader()?.getNumber() ?? 0);
  const codes = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  block
    .getData()
    ?.getDataList_asU8()
    .forEach((bytes, index) => {
      const payload = common.Payload.deserializeBinary(
        common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
      );
      const header = payload.getHeader();
      if (header === undefined) return;
      const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
      filtered.setChannelId(channelHeader.getChannelId());
      const tx = new peer.FilteredTransaction();
      tx.setTxid(channelHeader.getTxId());
      tx.setType(channelHeader.getType() as common.HeaderTypeMap[keyof common.HeaderTypeMap]);
      tx.setTxValidationCode(
        (codes?.[index] ?? 0) as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap],
      );
      if (channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION) {
        tx.setTransactionActions(filteredActions(payload.getData_asU8()));
      }
      filtered.addFilteredTransactions(tx);
    });
  return filtered;
}
