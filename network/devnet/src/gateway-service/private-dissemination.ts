import { ledger as ledgerProtos } from '@hyperledger/fabric-protos';
import type { ChaincodeRuntime } from '../chaincode/chaincode-runtime';
import type { CollectionLookup } from '../ledger/collections/collection-registry';
import { evaluateSignaturePolicy } from '../policy/policy-evaluator';
import type { PlannedPeer } from './endorsement-plan';
import type { EndorsingPeer, Simulation } from './endorsing-peer';
import type { GatewayContext } from './gateway-context';
import type { UnpackedProposal } from './proposal';

/**
 * A peer's simulation of a proposal, followed by what Fabric's endorser does with private writes
 * before it answers: it disseminates them to other peers of the collection, and fails when fewer
 * eligible peers exist than the collection's `requiredPeerCount` (`disseminationPlanForMsg`,
 * gossip/privdata/distributor.go). All peers of the devnet share one store, so nothing is sent:
 * only the count is checked, with Fabric's message.
 */
export async function simulateAt(
  ctx: Pick<GatewayContext, 'ledger' | 'peers'>,
  peer: EndorsingPeer,
  proposal: UnpackedProposal,
  runtime: ChaincodeRuntime,
): Promise<Simulation> {
  const simulation = await peer.simulate(proposal, ctx.ledger, runtime);
  if (simulation.kind !== 'endorsable') return simulation;
  const failure = disseminationFailure(ctx.ledger, ctx.peers, peer, simulation.rwset);
  if (failure === undefined) return simulation;
  return {
    kind: 'failed',
    message:
      `error in simulation: failed to distribute private collection, txID ${proposal.txId}, channel ${proposal.channelId}: ` +
      failure,
  };
}

/**
 * For each collection the read-write set writes privately: the peers of the channel other than the
 * endorser that satisfy its member policy (Fabric's routing filter) must number at least its
 * `requiredPeerCount`. Implicit collections require none.
 * @returns Fabric's reason for the first collection that cannot be disseminated, or undefined.
 */
export function disseminationFailure(
  collections: CollectionLookup,
  peers: readonly PlannedPeer[],
  endorser: PlannedPeer,
  rwsetBytes: Buffer,
): string | undefined {
  const rwset = ledgerProtos.rwset.TxReadWriteSet.deserializeBinary(rwsetBytes);
  for (const ns of rwset.getNsRwsetList()) {
    for (const coll of ns.getCollectionHashedRwsetList()) {
      if (coll.getPvtRwsetHash_asU8().length === 0) continue;
      const definition = collections.collection(ns.getNamespace(), coll.getCollectionName());
      if (definition === undefined || definition.requiredPeerCount === 0) continue;
      const eligible = peers.filter(
        (p) => p !== endorser && evaluateSignaturePolicy(definition.memberPolicy, [p.verified]),
      ).length;
      if (eligible < definition.requiredPeerCount) {
        return (
          `could not build private data dissemination plan for chaincode ${ns.getNamespace()} and collection ${coll.getCollectionName()}: ` +
          `required to disseminate to at least ${definition.requiredPeerCount} peers, but know of only ${eligible} eligible peers`
        );
      }
    }
  }
  return undefined;
}
