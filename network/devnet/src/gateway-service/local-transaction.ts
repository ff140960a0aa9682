import { createHash, randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import type { TxStatus } from '../ledger/ledger';
import { protoTimestamp, type ProtoMap } from '../ledger/proto-timestamp';
import type { SigningIdentity } from '@careledger/fabric-toolkit';
import { endorse } from './endorse';
import { evaluate } from './evaluate';
import type { GatewayContext } from './gateway-context';
import { RpcError } from './rpc-error';
import { submit } from './submit';

export interface LocalTransactionOptions {
  readonly signer: SigningIdentity;
  readonly chaincode: string;
  /** Function name first, then its arguments. */
  readonly args: readonly string[];
  readonly transient?: ReadonlyMap<string, Buffer>;
  /** How long to wait for the commit; default 30 s. */
  readonly timeoutMs?: number;
}

/** A proposal signed as a client signs it, and its transaction id. */
function signedProposal(
  ctx: GatewayContext,
  options: Omit<LocalTransactionOptions, 'timeoutMs'>,
): { readonly txId: string; readonly signed: peer.SignedProposal } {
  const nonce = randomBytes(24);
  const creator = options.signer.serialized;
  const txId = createHash('sha256').update(nonce).update(creator).digest('hex');

  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(options.chaincode);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(chaincodeId);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTimestamp(protoTimestamp(Date.now()));
  channelHeader.setChannelId(ctx.ledger.channelId);
  channelHeader.setTxId(txId);
  channelHeader.setExtension$(extension.serializeBinary());
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList(options.args.map((a) => Buffer.from(a)));
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  const transientMap = payload.getTransientmapMap() as unknown as ProtoMap<Uint8Array>;
  for (const [key, value] of options.transient ?? []) transientMap.set(key, value);
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const proposalBytes = Buffer.from(proposal.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposalBytes);
  signed.setSignature(options.signer.sign(proposalBytes));
  return { txId, signed };
}

/**
 * Evaluates a transaction from inside the devnet process, as a client's Evaluate would (at the
 * signer's own organisation's peer), without a gRPC hop: e.g. to learn whether start-up work is
 * done before submitting it.
 * @throws RpcError with Fabric's codes and messages (a chaincode error included).
 */
export async function evaluateLocalTransaction(
  ctx: GatewayContext,
  options: Omit<LocalTransactionOptions, 'timeoutMs'>,
): Promise<Buffer> {
  const { txId, signed } = signedProposal(ctx, options);
  const request = new gateway.EvaluateRequest();
  request.setTransactionId(txId);
  request.setChannelId(ctx.ledger.channelId);
  request.setProposedTransaction(signed);
  return Buffer.from((await evaluate(ctx, request)).getResult()?.getPayload_asU8() ?? []);
}

/**
 * Submits a transaction from inside the devnet process, exactly as a client would (signed
 * proposal, Endorse, signed envelope, Submit, wait for the commit) but without a gRPC hop;
 * used for start-up work such as an application's bootstrap transaction.
 * @throws RpcError when endorsement or ordering fails, Error when the wait times out.
 */
export async function submitLocalTransaction(
  ctx: GatewayContext,
  options: LocalTransactionOptions,
): Promise<{ readonly status: TxStatus; readonly result: Buffer }> {
  const { txId, signed } = signedProposal(ctx, options);
  const endorseRequest = new gateway.EndorseRequest();
  endorseRequest.setTransactionId(txId);
  endorseRequest.setChannelId(ctx.ledger.channelId);
  endorseRequest.setProposedTransaction(signed);
  const envelope = (await endorse(ctx, endorseRequest)).getPreparedTransaction();
  if (envelope === undefined) throw new RpcError(status.INTERNAL, 'endorsement returned no transaction');
  envelope.setSignature(options.signer.sign(Buffer.from(envelope.getPayload_asU8())));
  const result = resultOf(envelope);

  const submitRequest = new gateway.SubmitRequest();
  submitRequest.setTransactionId(txId);
  submitRequest.setChannelId(ctx.ledger.channelId);
  submitRequest.setPreparedTransaction(envelope);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  try {
    const waiting = ctx.notifier.waitForTx(txId, controller.signal);
    waiting.catch(() => undefined); // observed below; this only keeps an early abort from going unhandled
    const submitted = submit(ctx, submitRequest);
    submitted.catch(() => undefined); // observed in the race below
    // Submit answers once the block is written; the timeout (through `waiting`) bounds both.
    const committed = await Promise.race([submitted.then(() => waiting), waiting]);
    return { status: committed, result };
  } catch (err) {
    if (controller.signal.aborted) throw new Error(`transaction ${txId} did not commit in time`);
    throw err;
  } finally {
    clearTimeout(timer);
    controller.abort(); // drops the waiter if submit threw
  }
}

function resultOf(envelope: common.Envelope): Buffer {
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(
    action?.getPayload_asU8() ?? new Uint8Array(),
  ).getAction();
  const prp = peer.ProposalResponsePayload.deserializeBinary(
    endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array(),
  );
  return Buffer.from(
    peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()).getResponse()?.getPayload_asU8() ?? [],
  );
}
