import { status } from '@grpc/grpc-js';
import { gateway } from '@hyperledger/fabric-protos';
import {
  policyDenied,
  satisfiesApplicationPolicy,
  unknownChannel,
  verifySigned,
  type GatewayContext,
} from './gateway-context';
import { RpcError } from './rpc-error';

type ValidationCode = ReturnType<gateway.CommitStatusResponse['getResult']>;

/**
 * `/gateway.Gateway/CommitStatus`: the request must be signed by a channel member (any one,
 * not necessarily the transaction's creator); then waits until the transaction commits and
 * answers its first committed copy's code and block. An unknown transaction waits until the
 * call ends (the client's deadline).
 * @throws RpcError INVALID_ARGUMENT for a bad request, PERMISSION_DENIED for a bad signature.
 */
export async function commitStatus(
  ctx: GatewayContext,
  signed: gateway.SignedCommitStatusRequest,
  signal: AbortSignal,
): Promise<gateway.CommitStatusResponse> {
  const requestBytes = Buffer.from(signed.getRequest_asU8());
  if (requestBytes.length === 0)
    throw new RpcError(status.INVALID_ARGUMENT, 'a commit status request is required');
  let request: gateway.CommitStatusRequest;
  try {
    request = gateway.CommitStatusRequest.deserializeBinary(requestBytes);
  } catch (err) {
    throw new RpcError(
      status.INVALID_ARGUMENT,
      `invalid status request: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const identity = Buffer.from(request.getIdentity_asU8());
  const reader = verifySigned(ctx, identity, requestBytes, Buffer.from(signed.getSignature_asU8()));
  if (reader === undefined || !satisfiesApplicationPolicy(ctx, reader, 'Readers')) {
    throw new RpcError(status.PERMISSION_DENIED, policyDenied('Readers'));
  }
  if (request.getChannelId() !== ctx.ledger.channelId) throw unknownChannel(request.getChannelId());
  const txStatus = await ctx.notifier.waitForTx(request.getTransactionId(), signal);
  const response = new gateway.CommitStatusResponse();
  response.setResult(txStatus.code as ValidationCode);
  response.setBlockNumber(Number(txStatus.blockNumber));
  return response;
}
