import { status } from '@grpc/grpc-js';
import { gateway, peer as protos } from '@hyperledger/fabric-protos';
import type { EndorsingPeer } from './endorsing-peer';
import { unknownChannel, type GatewayContext } from './gateway-context';
import { unpackProposal, type UnpackedProposal } from './proposal';
import { checkProposal } from './proposal-validator';
import { RpcError } from './rpc-error';
import { invokeQscc } from './system-chaincodes/qscc';

/**
 * `/gateway.Gateway/Evaluate`: runs the proposal on one peer (the target organisation, else
 * the caller's own organisation) and returns the chaincode's response without ordering it.
 * @throws RpcError with Fabric's codes and messages.
 */
export async function evaluate(
  ctx: GatewayContext,
  request: gateway.EvaluateRequest,
): Promise<gateway.EvaluateResponse> {
  const signed = request.getProposedTransaction();
  let proposal: UnpackedProposal;
  try {
    if (signed === undefined) throw new Error('a signed proposal is required');
    proposal = unpackProposal(signed);
  } catch (err) {
    throw new RpcError(status.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${messageOf(err)}`);
  }
  if (proposal.channelId !== ctx.ledger.channelId) throw unknownChannel(proposal.channelId);
  if (proposal.chaincodeName === 'qscc')
    return evaluateQscc(ctx, proposal, request.getTargetOrganizationsList());
  const runtime = ctx.chaincode(proposal.chaincodeName);
  const noPeers = new RpcError(
    status.FAILED_PRECONDITION,
    `no peers available to evaluate chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`,
  );
  if (runtime === undefined) throw noPeers;
  const peer = choosePeer(ctx, proposal, request.getTargetOrganizationsList());
  if (peer === undefined) throw noPeers;

  const endorserError = (code: status, message: string): RpcError =>
    new RpcError(code, `evaluate call to endorser returned error: ${message}`, [
      { address: peer.address, mspId: peer.mspId, message },
    ]);
  const invalid = checkProposal(ctx, proposal);
  if (invalid !== undefined) throw endorserError(status.FAILED_PRECONDITION, invalid);
  const simulation = await peer.simulate(proposal, ctx.ledger, runtime);
  switch (simulation.kind) {
    case 'failed':
      throw new RpcError(
        status.ABORTED,
        'failed to evaluate transaction, see attached details for more info',
        [{ address: peer.address, mspId: peer.mspId, message: simulation.message }],
      );
    case 'rejected':
      throw endorserError(status.UNKNOWN, `chaincode response ${simulation.status}, ${simulation.message}`);
    case 'endorsable': {
      const response = new gateway.EvaluateResponse();
      response.setResult(simulation.response);
      return response;
    }
  }
}

/** The ledger query system chaincode, answered by the chosen peer from its ledger. */
async function evaluateQscc(
  ctx: GatewayContext,
  proposal: UnpackedProposal,
  targets: readonly string[],
): Promise<gateway.EvaluateResponse> {
  const peer = choosePeer(ctx, proposal, targets);
  if (peer === undefined) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      `no peers available to evaluate chaincode qscc in channel ${proposal.channelId}`,
    );
  }
  const endorserError = (code: status, message: string): RpcError =>
    new RpcError(code, `evaluate call to endorser returned error: ${message}`, [
      { address: peer.address, mspId: peer.mspId, message },
    ]);
  const invalid = checkProposal(ctx, proposal);
  if (invalid !== undefined) throw endorserError(status.FAILED_PRECONDITION, invalid);
  const answer = await invokeQscc(
    ctx.ledger,
    protos.ChaincodeInput.deserializeBinary(proposal.input).getArgsList_asU8(),
  );
  if (answer.status !== 200) throw endorserError(status.UNKNOWN, `chaincode response 500, ${answer.message}`);
  const result = new protos.Response();
  result.setStatus(200);
  result.setPayload(answer.payload);
  const response = new gateway.EvaluateResponse();
  response.setResult(result);
  return response;
}

function choosePeer(
  ctx: GatewayContext,
  proposal: UnpackedProposal,
  targets: readonly string[],
): EndorsingPeer | undefined {
  if (targets.length > 0) return ctx.peers.find((p) => targets.includes(p.mspId));
  // The devnet's gateway belongs to the caller's organisation, as a client's own peer would.
  const local = ctx.peers.find((p) => p.mspId === proposal.creatorMspId);
  if (local !== undefined || proposal.hasTransientData) {
    if (local === undefined) {
      throw new RpcError(
        status.FAILED_PRECONDITION,
        `no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data: no peers available to evaluate chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`,
      );
    }
    return local;
  }
  return ctx.peers[0];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
