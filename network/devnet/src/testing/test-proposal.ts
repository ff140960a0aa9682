import 'reflect-metadata';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { ChaincodeInvocation } from '../chaincode/chaincode-runtime';
import { newTimestamp, type ProtoTimestamp } from '../chaincode/proto-timestamp';
import type { TxSimulator } from '../ledger/tx-simulator';

export interface TestInvocationOptions {
  readonly channelId?: string;
  readonly chaincodeName: string;
  /** Function name first, then its arguments. */
  readonly args: readonly string[];
  readonly simulator: TxSimulator;
  readonly transient?: Readonly<Record<string, Buffer>>;
  /** ChannelHeader timestamp; default now. */
  readonly timestamp?: { seconds: number; nanos: number };
  readonly mspId?: string;
  /** Override the computed transaction id. */
  readonly txId?: string;
}

let creatorCert: Promise<string> | undefined;

/** A self-signed ECDSA P-256 certificate, made once per test process (no fixture on disk). */
function testCertificate(): Promise<string> {
  creatorCert ??= (async () => {
    x509.cryptoProvider.set(webcrypto as never);
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as Parameters<
      typeof x509.X509CertificateGenerator.createSelfSigned
    >[0]['keys'];
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=chaincode-runtime-test, O=Test',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: alg,
      keys,
    });
    return cert.toString('pem');
  })();
  return creatorCert;
}

/**
 * TEST HELPER: a ChaincodeInvocation shaped as the Fabric Gateway client shapes a proposal
 *, so fabric-shim can build its stub (creator, timestamp, transient).
 * The signature is random bytes: the chaincode never checks it.
 */
export async function newTestInvocation(options: TestInvocationOptions): Promise<ChaincodeInvocation> {
  const channelId = options.channelId ?? 'testchannel';
  const creator = new msp.SerializedIdentity();
  creator.setMspid(options.mspId ?? 'Org1MSP');
  creator.setIdBytes(Buffer.from(await testCertificate()));
  const creatorBytes = creator.serializeBinary();
  const nonce = randomBytes(24);
  const txId = options.txId ?? createHash('sha256').update(nonce).update(creatorBytes).digest('hex');

  const ccId = new peer.ChaincodeID();
  ccId.setName(options.chaincodeName);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(ccId);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(channelId);
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
    channelId,
    txId,
    signedProposal: Buffer.from(signed.serializeBinary()),
    input: Buffer.from(input.serializeBinary()),
    simulator: options.simulator,
  };
}

function timestampOf(value: { seconds: number; nanos: number } | undefined): ProtoTimestamp {
  const millis = Date.now();
  return newTimestamp(
    value?.seconds ?? Math.floor(millis / 1000),
    value?.nanos ?? (millis % 1000) * 1_000_000,
  );
}
