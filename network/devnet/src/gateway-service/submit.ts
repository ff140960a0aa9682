import { status } from '@grpc/grpc-js';
import { common, gateway } from '@hyperledger/fabric-protos';
import {
  policyDenied,
  satisfiesApplicationPolicy,
  unknownChannel,
  verifySigned,
  type GatewayContext,
} from './gateway-context';
import { MessageTooLargeError, OrdererBusyError, OrdererUnavailableError } from './orderer';
import { RpcError } from './rpc-error';

/**
 * `/gateway.Gateway/Submit`: the orderer's Broadcast checks (a well-formed envelope for this
 * channel, signed by a channel member), then the transaction is queued for the next block and
 * acknowledged once that block is written — never before it is durable. Duplicates are not
 * refused here: the committer marks later copies DUPLICATE_TXID.
 * @throws RpcError with Fabric's codes and messages; UNAVAILABLE at once while the ledger
 *   cannot write blocks.
 */
export async function submit(
  ctx: GatewayContext,
  request: gateway.SubmitRequest,
): Promise<gateway.SubmitResponse> {
  const envelope = request.getPreparedTransaction();
  if (envelope === undefined)
    throw new RpcError(status.INVALID_ARGUMENT, 'a prepared transaction is required');
  if (envelope.getSignature_asU8().length === 0) {
    throw new RpcError(status.INVALID_ARGUMENT, 'prepared transaction must be signed');
  }
  if (request.getChannelId() !== ctx.ledger.channelId) throw unknownChannel(request.getChannelId());

  const refused = (statusName: string, info: string): RpcError =>
    new RpcError(
      status.ABORTED,
      `received unsuccessful response from orderer: status=${statusName}, info=${info}`,
    );
  const payloadBytes = Buffer.from(envelope.getPayload_asU8());
  let channelId: string;
  let creator: Buffer;
  try {
    const header = common.Payload.deserializeBinary(payloadBytes).getHeader();
    if (header === undefined) throw new Error('missing header');
    channelId = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getChannelId();
    creator = Buffer.from(
      common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8(),
    );
  } catch (err) {
    throw refused('BAD_REQUEST', `bad envelope: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (channelId !== ctx.ledger.channelId) throw refused('NOT_FOUND', `channel ${channelId} does not exist`);
  // The orderer's Broadcast check: /Channel/Writers, i.e. an application Writer or a member of
  // the orderer organisation.
  const writer = verifySigned(ctx, creator, payloadBytes, Buffer.from(envelope.getSignature_asU8()));
  if (
    writer === undefined ||
    !(satisfiesApplicationPolicy(ctx, writer, 'Writers') || writer.mspId === ctx.ordererMspId)
  ) {
    throw refused('FORBIDDEN', policyDenied('Writers'));
  }
  let written: Promise<void>;
  try {
    written = ctx.orderer.enqueue(
      Buffer.from(envelope.serializeBinary()),
      payloadBytes.length + envelope.getSignature_asU8().length,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The orderer's size filter answers BAD_REQUEST, a client error the gateway does not retry.
    if (err instanceof MessageTooLargeError) throw refused('BAD_REQUEST', message);
    if (err instanceof OrdererBusyError || err instanceof OrdererUnavailableError) {
      throw new RpcError(status.UNAVAILABLE, 'no orderers could successfully process transaction', [
        {
          address: ctx.ordererAddress,
          mspId: ctx.ordererMspId,
          message: `status=SERVICE_UNAVAILABLE, info=${message}`,
        },
      ]);
    }
    throw new RpcError(status.UNAVAILABLE, 'no orderer nodes available', [
      { address: ctx.ordererAddress, mspId: ctx.ordererMspId, message },
    ]);
  }
  try {
    await written;
  } catch (err) {
    throw new RpcError(status.UNAVAILABLE, 'no orderer nodes available', [
      {
        address: ctx.ordererAddress,
        mspId: ctx.ordererMspId,
        message: err instanceof Error ? err.message : String(err),
      },
    ]);
  }
  return new gateway.SubmitResponse();
}
