import { common, msp, peer } from '@hyperledger/fabric-protos';

/** A client's SignedProposal, decoded down to what endorsement needs. */
export interface UnpackedProposal {
  /** The whole serialized SignedProposal (the chaincode receives it, transient map included). */
  readonly signedProposal: Buffer;
  readonly proposalBytes: Buffer;
  readonly signature: Buffer;
  /** Raw header bytes, exactly as received: they are hashed and copied into the transaction. */
  readonly channelHeaderBytes: Buffer;
  readonly signatureHeaderBytes: Buffer;
  readonly channelHeader: common.ChannelHeader;
  readonly channelId: string;
  readonly txId: string;
  readonly creator: Buffer;
  readonly creatorMspId: string;
  readonly nonce: Buffer;
  /** From the channel header extension: the chaincode that runs. */
  readonly chaincodeName: string;
  /** The serialized ChaincodeInput handed to the chaincode. */
  readonly input: Buffer;
  /** `ChaincodeProposalPayload{input}` without the transient map: hashed and put in the transaction. */
  readonly payloadWithoutTransient: Buffer;
  readonly hasTransientData: boolean;
}

/**
 * Decodes a SignedProposal as Fabric's `UnpackProposal` does.
 * @throws Error naming the part that does not parse or is missing.
 */
export function unpackProposal(signed: peer.SignedProposal): UnpackedProposal {
  const proposalBytes = Buffer.from(signed.getProposalBytes_asU8());
  const proposal = decode(() => peer.Proposal.deserializeBinary(proposalBytes), 'proposal');
  const header = decode(() => common.Header.deserializeBinary(proposal.getHeader_asU8()), 'header');
  const channelHeaderBytes = Buffer.from(header.getChannelHeader_asU8());
  const signatureHeaderBytes = Buffer.from(header.getSignatureHeader_asU8());
  const channelHeader = decode(
    () => common.ChannelHeader.deserializeBinary(channelHeaderBytes),
    'channel header',
  );
  const signatureHeader = decode(
    () => common.SignatureHeader.deserializeBinary(signatureHeaderBytes),
    'signature header',
  );
  const extension = decode(
    () => peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8()),
    'chaincode header extension',
  );
  const chaincodeName = extension.getChaincodeId()?.getName() ?? '';
  if (chaincodeName === '') throw new Error('ChaincodeHeaderExtension.ChaincodeId.Name is empty');
  const payload = decode(
    () => peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()),
    'chaincode proposal payload',
  );
  const invocation = decode(
    () => peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()),
    'chaincode invocation spec',
  );
  const spec = invocation.getChaincodeSpec();
  if (spec === undefined) throw new Error('chaincode invocation spec did not contain chaincode spec');
  const input = spec.getInput();
  if (input === undefined) throw new Error('chaincode input did not contain any input');
  const withoutTransient = new peer.ChaincodeProposalPayload();
  withoutTransient.setInput(payload.getInput_asU8());
  const creator = Buffer.from(signatureHeader.getCreator_asU8());
  let creatorMspId = '';
  try {
    creatorMspId = msp.SerializedIdentity.deserializeBinary(creator).getMspid();
  } catch {
    // A malformed creator is refused by validation, with Fabric's wording.
  }
  return {
    signedProposal: Buffer.from(signed.serializeBinary()),
    proposalBytes,
    signature: Buffer.from(signed.getSignature_asU8()),
    channelHeaderBytes,
    signatureHeaderBytes,
    channelHeader,
    channelId: channelHeader.getChannelId(),
    txId: channelHeader.getTxId(),
    creator,
    creatorMspId,
    nonce: Buffer.from(signatureHeader.getNonce_asU8()),
    chaincodeName,
    input: Buffer.from(input.serializeBinary()),
    payloadWithoutTransient: Buffer.from(withoutTransient.serializeBinary()),
    hasTransientData: (payload.getTransientmapMap() as unknown as { getLength(): number }).getLength() > 0,
  };
}

function decode<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`error unmarshalling ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
