import { common, peer } from '@hyperledger/fabric-protos';
import type { UnpackedProposal } from './proposal';

/**
 * The unsigned transaction envelope Endorse returns: the proposal's
 * header bytes verbatim, one action carrying the proposal payload without its transient map,
 * the proposal response payload and the endorsements (one per endorser identity).
 */
export function prepareTransaction(
  proposal: UnpackedProposal,
  prp: Buffer,
  endorsements: readonly peer.Endorsement[],
): common.Envelope {
  const seen = new Set<string>();
  const unique = endorsements.filter((e) => {
    const key = Buffer.from(e.getEndorser_asU8()).toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp);
  endorsed.setEndorsementsList(unique);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposal.payloadWithoutTransient);
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(proposal.signatureHeaderBytes);
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  const header = new common.Header();
  header.setChannelHeader(proposal.channelHeaderBytes);
  header.setSignatureHeader(proposal.signatureHeaderBytes);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}
