import { randomBytes, createHash } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import type { Ledger } from '../ledger/ledger';
import { protoTimestamp, type ProtoMap } from '../ledger/proto-timestamp';
import type { TxSimulator } from '../ledger/tx-simulator';
import type { SigningIdentity } from '@careledger/fabric-toolkit';

/** What a Fabric client fixes before proposing: nonce, creator and the derived txId. */
export interface TxContext {
  readonly txId: string;
  readonly nonce: Buffer;
  readonly creator: SigningIdentity;
  readonly timestamp: Date;
}

export function newTxContext(creator: SigningIdentity, timestamp = new Date()): TxContext {
  const nonce = randomBytes(24);
  const txId = createHash('sha256')
    .update(Buffer.concat([nonce, creator.serialized]))
    .digest('hex');
  return { txId, nonce, creator, timestamp };
}

export interface ProposalParts {
  readonly context: TxContext;
  readonly channelHeader: Buffer;
  readonly signatureHeader: Buffer;
  /** `ChaincodeProposalPayload` without the transient map (what goes into the transaction). */
  readonly proposalPayload: Buffer;
  readonly signedProposal: Buffer;
}

/** Builds and signs a proposal as `@hyperledger/fabric-gateway` does (§2.1). */
export function buildProposal(
  context: TxContext,
  channelId: string,
  chaincodeName: string,
  args: readonly string[] = ['invoke'],
  transient: ReadonlyMap<string, Buffer> = new Map(),
): ProposalParts {
  const ccId = new peer.ChaincodeID();
  ccId.setName(chaincodeName);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(ccId);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setVersion(0);
  channelHeader.setTimestamp(protoTimestamp(context.timestamp.getTime()));
  channelHeader.setChannelId(channelId);
  channelHeader.setTxId(context.txId);
  channelHeader.setEpoch(0);
  channelHeader.setExtension$(extension.serializeBinary());
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(context.creator.serialized);
  signatureHeader.setNonce(context.nonce);

  const input = new peer.ChaincodeInput();
  input.setArgsList(args.map((a) => Buffer.from(a)));
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const withTransient = new peer.ChaincodeProposalPayload();
  withTransient.setInput(invocation.serializeBinary());
  const transientMap = withTransient.getTransientmapMap() as unknown as ProtoMap<Uint8Array>;
  for (const [k, v] of transient) transientMap.set(k, v);
  const withoutTransient = new peer.ChaincodeProposalPayload();
  withoutTransient.setInput(invocation.serializeBinary());

  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(withTransient.serializeBinary());
  const proposalBytes = Buffer.from(proposal.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposalBytes);
  signed.setSignature(context.creator.sign(proposalBytes));
  return {
    context,
    channelHeader: Buffer.from(channelHeader.serializeBinary()),
    signatureHeader: Buffer.from(signatureHeader.serializeBinary()),
    proposalPayload: Buffer.from(withoutTransient.serializeBinary()),
    signedProposal: Buffer.from(signed.serializeBinary()),
  };
}

export interface EndorsementResult {
  readonly proposalResponsePayload: Buffer;
  readonly endorsements: readonly peer.Endorsement[];
}

/** What peers return (§2.4): the ChaincodeAction in a ProposalResponsePayload, signed by each endorser. */
export function endorseResults(
  parts: ProposalParts,
  chaincodeName: string,
  chaincodeVersion: string,
  rwset: Buffer,
  endorsers: readonly SigningIdentity[],
  event?: { readonly name: string; readonly payload: Buffer },
): EndorsementResult {
  const action = new peer.ChaincodeAction();
  action.setResults(rwset);
  if (event !== undefined) {
    const ev = new peer.ChaincodeEvent();
    ev.setChaincodeId(chaincodeName);
    ev.setTxId(parts.context.txId);
    ev.setEventName(event.name);
    ev.setPayload(event.payload);
    action.setEvents(ev.serializeBinary());
  }
  const response = new peer.Response();
  response.setStatus(200);
  action.setResponse(response);
  const ccId = new peer.ChaincodeID();
  ccId.setName(chaincodeName);
  ccId.setVersion(chaincodeVersion);
  action.setChaincodeId(ccId);
  const prp = new peer.ProposalResponsePayload();
  prp.setProposalHash(
    createHash('sha256')
      .update(Buffer.concat([parts.channelHeader, parts.signatureHeader, parts.proposalPayload]))
      .digest(),
  );
  prp.setExtension$(action.serializeBinary());
  const prpBytes = Buffer.from(prp.serializeBinary());
  const endorsements = endorsers.map((endorser) => {
    const e = new peer.Endorsement();
    e.setEndorser(endorser.serialized);
    e.setSignature(endorser.sign(Buffer.concat([prpBytes, endorser.serialized])));
    return e;
  });
  return { proposalResponsePayload: prpBytes, endorsements };
}

/** The transaction envelope the client signs and submits (§3.3), transient map stripped. */
export function buildEnvelope(parts: ProposalParts, endorsed: EndorsementResult): Buffer {
  const endorsedAction = new peer.ChaincodeEndorsedAction();
  endorsedAction.setProposalResponsePayload(endorsed.proposalResponsePayload);
  endorsedAction.setEndorsementsList([...endorsed.endorsements]);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(parts.proposalPayload);
  actionPayload.setAction(endorsedAction);
  const txAction = new peer.TransactionAction();
  txAction.setHeader(parts.signatureHeader);
  txAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([txAction]);
  const header = new common.Header();
  header.setChannelHeader(parts.channelHeader);
  header.setSignatureHeader(parts.signatureHeader);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const payloadBytes = Buffer.from(payload.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(parts.context.creator.sign(payloadBytes));
  return Buffer.from(envelope.serializeBinary());
}

export interface EndorseOptions {
  readonly ledger: Ledger;
  readonly creator: SigningIdentity;
  readonly endorsers: readonly SigningIdentity[];
  readonly chaincode: string;
  readonly version?: string;
  readonly simulate: (simulator: TxSimulator, namespace: string) => Promise<void>;
  readonly event?: { readonly name: string; readonly payload: Buffer };
  readonly timestamp?: Date;
  /** Simulate as this organisation's peer (private data visibility). */
  readonly endorserMspId?: string;
}

/** Proposal → simulation on the ledger → endorsements → signed envelope, as client + peers do. */
export async function endorseTransaction(
  options: EndorseOptions,
): Promise<{ txId: string; envelope: Buffer }> {
  const context = newTxContext(options.creator, options.timestamp);
  const parts = buildProposal(context, options.ledger.channelId, options.chaincode);
  const simulator = options.ledger.newSimulator(context.txId, {
    chaincodeName: options.chaincode,
    creator: options.creator.serialized,
    ...(options.endorserMspId !== undefined ? { endorserMspId: options.endorserMspId } : {}),
  });
  await options.simulate(simulator, options.chaincode);
  const rwset = simulator.done();
  const endorsed = endorseResults(
    parts,
    options.chaincode,
    options.version ?? '1.0',
    rwset,
    options.endorsers,
    options.event,
  );
  return { txId: context.txId, envelope: buildEnvelope(parts, endorsed) };
}
