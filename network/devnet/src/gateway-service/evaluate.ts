import { status } from '@grpc/grpc-js';
import { gateway, peer as protos } from '@hyperledger/fabric-protos';
import type { EndorsingPeer } from './endorsing-peer';
import { unknownChannel, type GatewayContext } from './gateway-context';
import { unpackProposal, type UnpackedProposal } from './proposal';
import { checkProposal } from './proposal-validator';
import { simulateAt } from './private-dissemination';
import { RpcError } from './rpc-error';
import { invokeCscc } from './system-chaincodes/cscc';
import { invokeLifecycle } from './system-chaincodes/lifecycle';
import { invokeQscc } from './system-chaincodes/qscc';
import {
  checkSystemProposal,
  type SystemInvocation,
  type SystemResponse,
} from './system-chaincodes/system-chaincode';
import { messageOf } from '../error-message';

/** The system chaincodes a peer answers Evaluate for itself. */
const systemChaincodes: Readonly<Record<string, (invocation: SystemInvocation) => Promise<SystemResponse>>> =
  {
    qscc: invokeQscc,
    cscc: invokeCscc,
    _lifecycle: invokeLifecycle,
  };

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
  const system = Object.hasOwn(systemChaincodes, proposal.chaincodeName)
    ? systemChaincodes[proposal.chaincodeName]
    : undefined;
  if (system !== undefined)
    return evaluateSystemChaincode(ctx, proposal, request.getTargetOrganizationsList(), system);
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
  const simulation = await simulateAt(ctx, peer, proposal, runtime);
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

/**
 * A system chaincode (qscc, cscc, _lifecycle), answered by the chosen peer itself: the proposal
 * checks without `peer/Propose` (each system chaincode checks its own ACL), then the chaincode's
 * response; a status of 400 or more is the gateway's `chaincode response <status>, <message>`.
 */
async function evaluateSystemChaincode(
  ctx: GatewayContext,
  proposal: UnpackedProposal,
  targets: readonly string[],
  invoke: (invocation: SystemInvocation) => Promise<SystemResponse>,
): Promise<gateway.EvaluateResponse> {
  const peer = choosePeer(ctx, proposal, targets);
  if (peer === undefined) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      `no peers available to evaluate chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`,
    );
  }
  const endorserError = (code: status, message: string): RpcError =>
    new RpcError(code, `evaluate call to endorser returned error: ${message}`, [
      { address: peer.address, mspId: peer.mspId, message },
    ]);
  const checked = checkSystemProposal(ctx, proposal);
  if ('error' in checked) throw endorserError(status.FAILED_PRECONDITION, checked.error);
  const answer = await invoke({
    ctx,
    txId: proposal.txId,
    creator: checked.creator,
    args: protos.ChaincodeInput.deserializeBinary(proposal.input).getArgsList_asU8(),
  });
  if (answer.status !== 200)
    throw endorserError(status.UNKNOWN, `chaincode response ${answer.status}, ${answer.message}`);
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
