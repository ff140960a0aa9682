import { peer } from '@hyperledger/fabric-protos';

export const MessageType = peer.ChaincodeMessage.Type;
export type MessageTypeValue = peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap];

const typeNames = new Map<number, string>(Object.entries(MessageType).map(([name, value]) => [value, name]));

/** The proto enum name of a message type, as Fabric prints it (`GET_STATE`). */
export function typeName(type: number): string {
  return typeNames.get(type) ?? String(type);
}

/** Messages from this runtime carry no timestamp, proposal or event unless stated. */
export function newMessage(
  type: MessageTypeValue,
  channelId: string,
  txId: string,
  payload?: Uint8Array,
): peer.ChaincodeMessage {
  const message = new peer.ChaincodeMessage();
  message.setType(type);
  message.setChannelId(channelId);
  message.setTxid(txId);
  if (payload !== undefined) message.setPayload(payload);
  return message;
}

/** A successful answer to one of the shim's requests. */
export function responseMessage(request: peer.ChaincodeMessage, payload?: Uint8Array): peer.ChaincodeMessage {
  return newMessage(MessageType.RESPONSE, request.getChannelId(), request.getTxid(), payload);
}

/**
 * A failed answer to one of the shim's requests, worded as Fabric's handler words it:
 * `<TYPE> failed: transaction ID: <txid>: <cause>`. fabric-shim throws this text to the chaincode.
 */
export function errorMessage(request: peer.ChaincodeMessage, cause: string): peer.ChaincodeMessage {
  const text = `${typeName(request.getType())} failed: transaction ID: ${request.getTxid()}: ${cause}`;
  return newMessage(MessageType.ERROR, request.getChannelId(), request.getTxid(), Buffer.from(text, 'utf8'));
}
