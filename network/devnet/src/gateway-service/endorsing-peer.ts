import { createHash } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeRuntime } from '../chaincode/chaincode-runtime';
import type { Ledger } from '../ledger/ledger';
import type { SigningIdentity, VerifiedIdentity } from '@careledger/fabric-toolkit';
import type { UnpackedProposal } from './proposal';
import { messageOf } from '../error-message';

/** What one peer's simulation of a proposal produced. */
export type Simulation =
  /** The chaincode could not run to a response (timeout, stream lost, shim ERROR …): Fabric's 500 without payload. */
  | { readonly kind: 'failed'; readonly message: string }
  /** The chaincode answered with status ≥ 400: Fabric sends no endorsement. */
  | { readonly kind: 'rejected'; readonly status: number; readonly message: string }
  | {
      readonly kind: 'endorsable';
      readonly response: peer.Response;
      /** The serialized ProposalResponsePayload every endorser of this result signs. */
      readonly prp: Buffer;
      /** The serialized TxReadWriteSet inside it. */
      readonly rwset: Buffer;
      /** The collections whose values it read (`namespace\0collection`). */
      readonly privateReads: ReadonlySet<string>;
    };

/**
 * One organisation's peer in the embedded network: it simulates a proposal against the
 * channel ledger through the chaincode runtime, as that organisation's peer (it holds the values of
 * the collections its organisation is a member of), and signs proposal response payloads with its
 * own peer identity.
 */
export class EndorsingPeer {
  readonly mspId: string;
  /** The endpoint named in error details (`peer0.<org>…:<port>`). */
  readonly address: string;
  readonly identity: SigningIdentity;
  readonly verified: VerifiedIdentity;

  constructor(options: {
    readonly address: string;
    readonly identity: SigningIdentity;
    readonly verified: VerifiedIdentity;
  }) {
    this.mspId = options.identity.mspId;
    this.address = options.address;
    this.identity = options.identity;
    this.verified = options.verified;
  }

  /** Runs the chaincode on a fresh simulator; never throws for chaincode or simulation failures. */
  async simulate(proposal: UnpackedProposal, ledger: Ledger, runtime: ChaincodeRuntime): Promise<Simulation> {
    let simulator;
    try {
      simulator = ledger.newSimulator(proposal.txId, {
        chaincodeName: proposal.chaincodeName,
        endorserMspId: this.mspId,
        creator: proposal.creator,
      });
    } catch (err) {
      return { kind: 'failed', message: messageOf(err) };
    }
    let result;
    try {
      result = await runtime.invoke({
        channelId: proposal.channelId,
        txId: proposal.txId,
        signedProposal: proposal.signedProposal,
        input: proposal.input,
        simulator,
      });
    } catch (err) {
      closeQuietly(simulator);
      return { kind: 'failed', message: messageOf(err) };
    }
    let rwset: Buffer;
    try {
      rwset = simulator.done();
    } catch (err) {
      return { kind: 'failed', message: messageOf(err) };
    }
    if (result.status >= 400) return { kind: 'rejected', status: result.status, message: result.message };

    const response = new peer.Response();
    response.setStatus(result.status);
    response.setMessage(result.message);
    response.setPayload(result.payload);
    const action = new peer.ChaincodeAction();
    action.setResults(rwset);
    if (result.event !== undefined) {
      // The peer overwrites what the shim sent: the event belongs to this chaincode and transaction.
      const event = new peer.ChaincodeEvent();
      event.setChaincodeId(proposal.chaincodeName);
      event.setTxId(proposal.txId);
      event.setEventName(result.event.eventName);
      event.setPayload(result.event.payload);
      action.setEvents(event.serializeBinary());
    }
    action.setResponse(response);
    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(proposal.chaincodeName);
    chaincodeId.setVersion(runtime.version);
    action.setChaincodeId(chaincodeId);
    const prp = new peer.ProposalResponsePayload();
    prp.setProposalHash(proposalHash(proposal));
    prp.setExtension$(action.serializeBinary());
    return {
      kind: 'endorsable',
      response,
      prp: Buffer.from(prp.serializeBinary()),
      rwset,
      privateReads: simulator.privateReads(),
    };
  }

  /** Endorsement{endorser, signature over prp ‖ endorser}. */
  endorse(prp: Buffer): peer.Endorsement {
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(this.identity.serialized);
    endorsement.setSignature(this.identity.sign(Buffer.concat([prp, this.identity.serialized])));
    return endorsement;
  }
}

/** SHA-256(channel header ‖ signature header ‖ ChaincodeProposalPayload without transient map). */
export function proposalHash(proposal: UnpackedProposal): Buffer {
  return createHash('sha256')
    .update(proposal.channelHeaderBytes)
    .update(proposal.signatureHeaderBytes)
    .update(proposal.payloadWithoutTransient)
    .digest();
}

function closeQuietly(simulator: { done(): Buffer }): void {
  try {
    simulator.done();
  } catch {
    // Already closed or failed: nothing left to release.
  }
}
