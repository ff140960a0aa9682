import { status } from '@grpc/grpc-js';
import { gateway, ledger as ledgerProtos, type peer } from '@hyperledger/fabric-protos';
import { choosePeers, collectionMembers, endorsementNeeds } from './endorsement-plan';
import type { EndorsingPeer, Simulation } from './endorsing-peer';
import { unknownChannel, type GatewayContext } from './gateway-context';
import { prepareTransaction } from './prepared-transaction';
import { unpackProposal, type UnpackedProposal } from './proposal';
import { checkProposal } from './proposal-validator';
import { simulateAt } from './private-dissemination';
import { RpcError, type ErrorDetail } from './rpc-error';

const FIRST_FAILED = 'failed to endorse transaction, see attached details for more info';
const COLLECT_FAILED =
  'failed to collect enough transaction endorsements, see attached details for more info';

/**
 * `/gateway.Gateway/Endorse`. With `endorsing_organizations` the named organisations endorse
 * and no policy is checked (a short list fails at commit, as on Fabric). Otherwise the
 * caller's organisation's peer simulates first, and the gateway adds the fewest peers that
 * satisfy the policies the committer will apply to the writes (chaincode, key-level and
 * collection policies); only members of a collection whose values were read may endorse, and
 * with transient data only members of every collection involved.
 *
 * One simulation is signed by every chosen peer when it cannot depend on which peer ran it:
 * all peers share this process's committed state and chaincode, and only private data
 * differs between organisations. A transaction that touched private data is simulated again
 * on each further peer and the payloads compared, as Fabric's gateway compares them.
 * @throws RpcError with Fabric's codes and messages.
 */
export async function endorse(
  ctx: GatewayContext,
  request: gateway.EndorseRequest,
): Promise<gateway.EndorseResponse> {
  const signed = request.getProposedTransaction();
  if (signed === undefined || signed.getProposalBytes_asU8().length === 0) {
    throw new RpcError(status.INVALID_ARGUMENT, 'the proposed transaction must contain a signed proposal');
  }
  let proposal: UnpackedProposal;
  try {
    proposal = unpackProposal(signed);
  } catch (err) {
    throw new RpcError(status.INVALID_ARGUMENT, err instanceof Error ? err.message : String(err));
  }
  if (proposal.channelId !== ctx.ledger.channelId) throw unknownChannel(proposal.channelId);
  const runtime = ctx.chaincode(proposal.chaincodeName);
  if (runtime === undefined) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      `no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`,
    );
  }
  const named = namedPeers(ctx, request.getEndorsingOrganizationsList());
  const first = named?.[0] ?? localPeer(ctx, proposal);
  const failure = named === undefined ? FIRST_FAILED : COLLECT_FAILED;
  const detail = (p: EndorsingPeer, message: string): ErrorDetail => ({
    address: p.address,
    mspId: p.mspId,
    message,
  });

  const invalid = checkProposal(ctx, proposal);
  if (invalid !== undefined) throw new RpcError(status.ABORTED, failure, [detail(first, invalid)]);

  const result = await simulateAt(ctx, first, proposal, runtime);
  if (result.kind !== 'endorsable')
    throw new RpcError(status.ABORTED, failure, [detail(first, refusal(result))]);

  const endorsers = named ?? (await planEndorsers(ctx, proposal, first, result));
  const privateActivity = touchesPrivateData(result.rwset);
  const endorsements: peer.Endorsement[] = [];
  const errors: ErrorDetail[] = [];
  for (const endorser of endorsers) {
    if (endorser !== first && privateActivity) {
      const again: Simulation = await simulateAt(ctx, endorser, proposal, runtime);
      if (again.kind !== 'endorsable') {
        errors.push(detail(endorser, refusal(again)));
        continue;
      }
      if (!again.prp.equals(result.prp)) {
        errors.push(detail(endorser, 'ProposalResponsePayloads do not match'));
        continue;
      }
    }
    endorsements.push(endorser.endorse(result.prp));
  }
  if (errors.length > 0) throw new RpcError(status.ABORTED, COLLECT_FAILED, errors);

  const response = new gateway.EndorseResponse();
  response.setPreparedTransaction(prepareTransaction(proposal, result.prp, endorsements));
  return response;
}

function namedPeers(ctx: GatewayContext, orgs: readonly string[]): EndorsingPeer[] | undefined {
  if (orgs.length === 0) return undefined;
  const unique = [...new Set(orgs)];
  const missing = unique.filter((org) => !ctx.peers.some((p) => p.mspId === org));
  if (missing.length > 0) {
    throw new RpcError(
      status.UNAVAILABLE,
      `failed to find any endorsing peers for org(s): ${missing.join(', ')}`,
    );
  }
  return unique.map((org) => ctx.peers.find((p) => p.mspId === org) as EndorsingPeer);
}

function localPeer(ctx: GatewayContext, proposal: UnpackedProposal): EndorsingPeer {
  // The devnet's gateway belongs to the caller's organisation, as a client's own peer would.
  const local = ctx.peers.find((p) => p.mspId === proposal.creatorMspId);
  if (local !== undefined) return local;
  if (proposal.hasTransientData) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
    );
  }
  const fallback = ctx.peers[0];
  if (fallback === undefined) throw new RpcError(status.UNAVAILABLE, 'the network has no endorsing peers');
  return fallback;
}

async function planEndorsers(
  ctx: GatewayContext,
  proposal: UnpackedProposal,
  first: EndorsingPeer,
  simulation: Extract<Simulation, { kind: 'endorsable' }>,
): Promise<EndorsingPeer[]> {
  const needs = await endorsementNeeds(
    simulation.rwset,
    proposal.chaincodeName,
    ctx.ledger,
    ctx.chaincodePolicy,
    simulation.privateReads,
  );
  // Discovery keeps to the members of the collections whose values were read; with transient data
  // Fabric's gateway asks the same for every collection involved, to keep the data among members.
  const read = needs.collections.filter((c) => c.privateRead);
  const protectedOnes = proposal.hasTransientData ? needs.collections.filter((c) => !c.privateRead) : [];
  const readers = collectionMembers(ctx.peers, ctx.ledger, read);
  const allowed = collectionMembers(ctx.peers, ctx.ledger, [...read, ...protectedOnes]);
  const chosen = choosePeers(ctx.peers, needs.policies.values(), first.mspId, allowed);
  if (chosen !== undefined) return chosen;
  if (
    protectedOnes.length > 0 &&
    choosePeers(ctx.peers, needs.policies.values(), first.mspId, readers) !== undefined
  ) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${protectedOnes
        .map((c) => c.collection)
        .sort()
        .join(' ')}]; retry specifying trusted endorsing organizations to protect transient data`,
    );
  }
  throw new RpcError(
    status.FAILED_PRECONDITION,
    `no combination of peers can be derived which satisfy the endorsement policy of chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`,
  );
}

function touchesPrivateData(rwsetBytes: Buffer): boolean {
  const rwset = ledgerProtos.rwset.TxReadWriteSet.deserializeBinary(rwsetBytes);
  return rwset.getNsRwsetList().some((ns) => ns.getCollectionHashedRwsetList().length > 0);
}

function refusal(simulation: Exclude<Simulation, { kind: 'endorsable' }>): string {
  return simulation.kind === 'failed'
    ? simulation.message
    : `chaincode response ${simulation.status}, ${simulation.message}`;
}
