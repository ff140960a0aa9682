import { EventEmitter } from 'node:events';
import { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeStub } from 'fabric-shim';
import { errorMessage, MessageType, newMessage } from '../chaincode/chaincode-messages';
import { ShimRequestHandler } from '../chaincode/shim-request-handler';
import { contextKey, TransactionContext } from '../chaincode/transaction-context';
import type { TxSimulator } from '../ledger/tx-simulator';

/** A message of fabric-shim's own protobuf build (another version than the devnet's). */
interface ShimMessage {
  serializeBinary(): Uint8Array;
}

interface ShimMessageHandler {
  chat(start: ShimMessage): void;
}

// fabric-shim logs every handshake at info level; as a chaincode's peer sets it, the level comes
// from the environment, read when fabric-shim loads. Tests want warnings only unless they say so.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'warning';

// fabric-shim's message handler and stub, as a chaincode process runs them; neither is in its typings.
/* eslint-disable @typescript-eslint/no-require-imports */
const { ChaincodeMessageHandler } = require('fabric-shim/lib/handler.js') as {
  ChaincodeMessageHandler: new (stream: EventEmitter, chaincode: object) => ShimMessageHandler;
};
const ShimStub = require('fabric-shim/lib/stub.js') as new (
  handler: ShimMessageHandler,
  channelId: string,
  txId: string,
  input: peer.ChaincodeInput,
  signedProposal: peer.SignedProposal,
) => ChaincodeStub;
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * fabric-shim's chat stream, with the peer in the same process: each request the shim writes
 * crosses as bytes (as over gRPC) to `serve`, whose answer comes back as a `data` event.
 */
class InProcessChatStream extends EventEmitter {
  readonly #serve: (request: peer.ChaincodeMessage) => Promise<peer.ChaincodeMessage>;

  constructor(serve: (request: peer.ChaincodeMessage) => Promise<peer.ChaincodeMessage>) {
    super();
    this.#serve = serve;
  }

  write(message: ShimMessage): void {
    const request = peer.ChaincodeMessage.deserializeBinary(message.serializeBinary());
    if (request.getType() === MessageType.REGISTER) {
      this.emit('data', newMessage(MessageType.REGISTERED, '', ''));
      this.emit('data', newMessage(MessageType.READY, '', ''));
      return;
    }
    void this.#serve(request).then((response) => this.emit('data', response));
  }

  end(): void {}
}

export interface InProcessShimOptions {
  /** The chaincode's name: the ledger namespace of its requests. */
  readonly chaincodeName: string;
  /** Fabric's ledger.state.totalQueryLimit (default 100000). */
  readonly totalQueryLimit?: number;
}

/** One transaction begun on an `InProcessShim`. */
export interface InProcessTransaction {
  /** fabric-shim's own ChaincodeStub for the transaction, as the chaincode receives it. */
  readonly stub: ChaincodeStub;
  /** Ends the transaction as the peer does when the chaincode completes: its open iterators close. */
  finish(): void;
}

/**
 * TEST SUPPORT: fabric-shim's ChaincodeStub and message handler talking, in process, to the
 * devnet's peer side (`ShimRequestHandler` over a transaction's simulator). A contract called
 * with this stub gets what fabric-shim gives it on a peer: the same argument checks, iterators,
 * pagination metadata and error texts (`GET_STATE failed: transaction ID: <txid>: <cause>`).
 * Chaincode-to-chaincode calls are refused as for an undefined chaincode.
 */
export class InProcessShim {
  readonly #contexts = new Map<string, TransactionContext>();
  readonly #requests: ShimRequestHandler;
  readonly #handler: ShimMessageHandler;

  constructor(options: InProcessShimOptions) {
    this.#requests = new ShimRequestHandler({
      namespace: options.chaincodeName,
      totalQueryLimit: options.totalQueryLimit ?? 100_000,
      invokeChaincode: (context, target) =>
        Promise.reject(
          new Error(
            `make sure the chaincode ${target.name} has been successfully defined on channel ${context.channelId} and try again`,
          ),
        ),
    });
    const stream = new InProcessChatStream((request) => this.#serve(request));
    this.#handler = new ChaincodeMessageHandler(stream, {});
    this.#handler.chat(newMessage(MessageType.REGISTER, '', ''));
  }

  /**
   * Begins a transaction whose shim requests `simulator` serves.
   * @param proposal the serialized SignedProposal and ChaincodeInput (`newTestProposal`).
   * @param peerMspId the endorsing peer's organisation, which `getMspID()` answers (a chaincode
   *   process reads it from the peer's CORE_PEER_LOCALMSPID).
   * @throws Error as fabric-shim does when it cannot build its stub from the proposal.
   */
  begin(
    channelId: string,
    txId: string,
    proposal: { readonly signedProposal: Uint8Array; readonly input: Uint8Array },
    simulator: TxSimulator,
    peerMspId?: string,
  ): InProcessTransaction {
    const key = contextKey(channelId, txId);
    if (this.#contexts.has(key)) throw new Error(`txid: ${txId}(${channelId}) exists`);
    const context = new TransactionContext({
      channelId,
      txId,
      simulator,
      signedProposal: Buffer.from(proposal.signedProposal),
      resolve: () => undefined,
      reject: () => undefined,
    });
    const stub = new ShimStub(
      this.#handler,
      channelId,
      txId,
      peer.ChaincodeInput.deserializeBinary(proposal.input),
      peer.SignedProposal.deserializeBinary(proposal.signedProposal),
    );
    if (peerMspId !== undefined) stub.getMspID = () => peerMspId;
    this.#contexts.set(key, context);
    return {
      stub,
      finish: () => {
        this.#contexts.delete(key);
        context.complete(newMessage(MessageType.COMPLETED, channelId, txId));
      },
    };
  }

  async #serve(request: peer.ChaincodeMessage): Promise<peer.ChaincodeMessage> {
    const context = this.#contexts.get(contextKey(request.getChannelId(), request.getTxid()));
    if (context === undefined) return errorMessage(request, 'no ledger context');
    return this.#requests.handle(context, request);
  }
}
