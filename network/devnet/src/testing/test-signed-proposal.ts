import { createHash, randomBytes } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { newTimestamp, type ProtoTimestamp } from '../chaincode/proto-timestamp';

/** The parts of a proposal that a chaincode sees through its stub. */
export interface TestProposalOptions {
  readonly channelId: string;
  readonly chaincodeName: string;
  /** Function name first, then its arguments. */
  readonly args: readonly string[];
  /** The creator's MSP ID and identity bytes (a PEM certificate), as `getCreator()` returns them. */
  readonly creator: { readonly mspId: string; readonly idBytes: Uint8Array };
  readonly transient?: Readonly<Record<string, Uint8Array>>;
  /** ChannelHeader timestamp; default now. */
  readonly timestamp?: { seconds: number; nanos: number };
  /** Override the computed transaction id (SHA-256 of nonce and creator). */
  readonly txId?: string;
}

/** A signed proposal, its transaction id and its ChaincodeInput, each serialized. */
export interface TestProposal {
  readonly txId: string;
  readonly signedProposal: Buffer;
  readonly input: Buffer;
}

/**
 * TEST HELPER: a SignedProposal shaped as the Fabric Gateway client shapes one, so fabric-shim
 * can build its stub from it (creator, timestamp, transient, binding). The signature is random
 * bytes: the chaincode never checks it.
 */
export function newTestProposal(options: TestProposalOptions): TestProposal {
  const creator = new msp.SerializedIdentity();
  creator.setMspid(options.creator.mspId);
  creator.setIdBytes(options.creator.idBytes);
  const creatorBytes = creator.serializeBinary();
  const nonce = randomBytes(24);
  const txId = options.txId ?? createHash('sha256').update(nonce).update(creatorBytes).digest('hex');

  const ccId = new peer.ChaincodeID();
  ccId.setName(options.chaincodeName);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(ccId);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(options.channelId);
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(timestampOf(options.timestamp));
  channelHeader.setExtension$(extension.serializeBinary());

  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creatorBytes);
  signatureHeader.setNonce(nonce);

  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList(options.args.map((arg) => Buffer.from(arg)));
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const invocationSpec = new peer.ChaincodeInvocationSpec();
  invocationSpec.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocationSpec.serializeBinary());
  // jspb.Map (google-protobuf has no types here) has Map's set().
  const transient = payload.getTransientmapMap() as unknown as Map<string, Uint8Array>;
  for (const [key, value] of Object.entries(options.transient ?? {})) transient.set(key, value);

  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(randomBytes(70));

  return {
    txId,
    signedProposal: Buffer.from(signed.serializeBinary()),
    input: Buffer.from(input.serializeBinary()),
  };
}

function timestampOf(value: { seconds: number; nanos: number } | undefined): ProtoTimestamp {
  const millis = Date.now();
  return newTimestamp(
    value?.seconds ?? Math.floor(millis / 1000),
    value?.nanos ?? (millis % 1000) * 1_000_000,
  );
}
