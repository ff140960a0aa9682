import { messageOf } from '../error-message';
import { peer } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import type { ChaincodeInvocation, ChaincodeResult, ChaincodeRuntime } from './chaincode-runtime';
import { ChaincodeConnection } from './chaincode-connection';
import { errorMessage, MessageType, newMessage, typeName } from './chaincode-messages';
import type { ChaincodeProcess } from './chaincode-process';
import { ShimRequestHandler, type ChaincodeTarget } from './shim-request-handler';
import { contextKey, TransactionContext } from './transaction-context';
import { waitForListening } from './tcp-port';

/** Fabric's texts (core/chaincode/handler.go), which endorsement errors carry. */
import { TIMEOUT_MESSAGE } from '@careledger/fabric-toolkit';
export const STREAM_TERMINATED_MESSAGE = 'chaincode stream terminated';

/** How long a failed dial waits for a dying chaincode process's exit, to report it. */
const exitGraceMs = 1000;

export interface StreamChaincodeRuntimeOptions {
  readonly name: string;
  readonly version: string;
  readonly address: string;
  readonly logger: Logger;
  readonly executeTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly totalQueryLimit: number;
  /** The process this runtime started and stops, if any. */
  readonly process?: ChaincodeProcess;
  readonly stopGraceMs: number;
  readonly resolveChaincode?: (name: string) => ChaincodeRuntime | undefined;
}

/**
 * The peer side of the chaincode protocol over one `/protos.Chaincode/Connect` stream, with
 * transactions multiplexed by (channel, txid). A dropped stream fails the transactions in flight
 * and is dialled again on the next invocation while the chaincode server is still there.
 */
export class StreamChaincodeRuntime implements ChaincodeRuntime {
  readonly name: string;
  readonly version: string;
  readonly #options: StreamChaincodeRuntimeOptions;
  readonly #log: Logger;
  readonly #contexts = new Map<string, TransactionContext>();
  readonly #handler: ShimRequestHandler;
  #connection: ChaincodeConnection | undefined;
  #connecting: Promise<ChaincodeConnection> | undefined;
  #closed = false;

  constructor(options: StreamChaincodeRuntimeOptions) {
    this.name = options.name;
    this.version = options.version;
    this.#options = options;
    this.#log = options.logger;
    this.#handler = new ShimRequestHandler({
      namespace: options.name,
      totalQueryLimit: options.totalQueryLimit,
      invokeChaincode: (context, target, input) => this.#invokeOther(context, target, input),
    });
    void options.process?.exited.then(() => {
      if (this.#closed) return;
      this.#log.error({ reason: options.process?.describeExit() }, 'chaincode process exited');
      this.#connection?.close();
      this.#terminate();
    });
  }

  /** Dials the chaincode (retrying until it listens) and completes the handshake. */
  async connect(): Promise<void> {
    await this.#ensureConnection();
  }

  async invoke(invocation: ChaincodeInvocation): Promise<ChaincodeResult> {
    const message = await this.#execute(invocation);
    if (message.getType() !== MessageType.COMPLETED) {
      throw new Error(
        `transaction returned with failure: ${Buffer.from(message.getPayload_asU8()).toString('utf8')}`,
      );
    }
    const response = peer.Response.deserializeBinary(message.getPayload_asU8());
    const event = message.getChaincodeEvent();
    return {
      status: response.getStatus(),
      message: response.getMessage(),
      payload: Buffer.from(response.getPayload_asU8()),
      ...(event === undefined
        ? {}
        : { event: { eventName: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()) } }),
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection?.close();
    this.#connection = undefined;
    this.#terminate();
    await this.#options.process?.stop(this.#options.stopGraceMs);
  }

  /** Runs a TRANSACTION and resolves with the chaincode's final COMPLETED or ERROR message. */
  async #execute(invocation: ChaincodeInvocation): Promise<peer.ChaincodeMessage> {
    const connection = this.#connection?.open === true ? this.#connection : await this.#ensureConnection();
    const { channelId, txId } = invocation;
    const key = contextKey(channelId, txId);
    if (this.#contexts.has(key)) throw new Error(`txid: ${txId}(${channelId}) exists`);
    const message = newMessage(MessageType.TRANSACTION, channelId, txId, invocation.input);
    message.setProposal(decodeSignedProposal(invocation.signedProposal));
    return new Promise<peer.ChaincodeMessage>((resolve, reject) => {
      const context = new TransactionContext({
        channelId,
        txId,
        simulator: invocation.simulator,
        signedProposal: invocation.signedProposal,
        resolve,
        reject,
      });
      context.setTimer(
        setTimeout(() => {
          if (this.#contexts.get(key) === context) this.#contexts.delete(key);
          context.fail(new Error(TIMEOUT_MESSAGE));
        }, this.#options.executeTimeoutMs),
      );
      this.#contexts.set(key, context);
      connection.send(message);
    });
  }

  #ensureConnection(): Promise<ChaincodeConnection> {
    if (this.#closed) return Promise.reject(new Error(`chaincode ${this.name} runtime is closed`));
    if (this.#connection?.open === true) return Promise.resolve(this.#connection);
    this.#connecting ??= this.#dial().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async #dial(): Promise<ChaincodeConnection> {
    const { address, connectTimeoutMs, process } = this.#options;
    const started = Date.now();
    const exited = (): string | undefined =>
      process?.exit === undefined ? undefined : process.describeExit();
    try {
      await waitForListening(address, connectTimeoutMs, exited);
      const connection = await ChaincodeConnection.open({
        address,
        handshakeTimeoutMs: Math.max(1000, connectTimeoutMs - (Date.now() - started)),
        logger: this.#log,
        onMessage: (conn, message) => this.#onMessage(conn, message),
        onClose: (conn, reason) => this.#onClose(conn, reason),
      });
      if (this.#closed) {
        connection.close();
        throw new Error(`chaincode ${this.name} runtime is closed`);
      }
      this.#connection = connection;
      return connection;
    } catch (err) {
      // A process that is dying may refuse or reset the connection before its exit is seen: give
      // its exit a moment, so the error says why (its code and last output), not only ECONNRESET.
      if (process !== undefined && process.exit === undefined) {
        await Promise.race([process.exited, new Promise((r) => setTimeout(r, exitGraceMs).unref())]);
      }
      const reason = exited() ?? (err instanceof Error ? err.message : String(err));
      throw new Error(`chaincode ${this.name} is not available at ${address}: ${reason}`, { cause: err });
    }
  }

  #onMessage(connection: ChaincodeConnection, message: peer.ChaincodeMessage): void {
    const type = message.getType();
    const key = contextKey(message.getChannelId(), message.getTxid());
    const context = this.#contexts.get(key);
    if (type === MessageType.COMPLETED || type === MessageType.ERROR) {
      if (context === undefined) {
        this.#log.debug(
          { txId: message.getTxid(), type: typeName(type) },
          'result for an unknown transaction',
        );
        return;
      }
      this.#contexts.delete(key);
      context.complete(message);
      return;
    }
    if (type === MessageType.KEEPALIVE) return;
    if (context === undefined) {
      connection.send(errorMessage(message, 'no ledger context'));
      return;
    }
    void this.#handler.handle(context, message).then((reply) => connection.send(reply));
  }

  #onClose(connection: ChaincodeConnection, reason: string): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    if (!this.#closed) this.#log.warn({ reason }, 'chaincode stream terminated');
    this.#terminate();
  }

  #terminate(): void {
    const contexts = [...this.#contexts.values()];
    this.#contexts.clear();
    for (const context of contexts) context.fail(new Error(STREAM_TERMINATED_MESSAGE));
  }

  async #invokeOther(
    context: TransactionContext,
    target: ChaincodeTarget,
    input: peer.ChaincodeInput,
  ): Promise<peer.ChaincodeMessage> {
    if (target.channelId !== '' && target.channelId !== context.channelId) {
      throw new Error(
        `chaincode-to-chaincode calls across channels are not supported by the devnet (${target.channelId})`,
      );
    }
    const callee = target.name === this.name ? this : this.#options.resolveChaincode?.(target.name);
    if (callee === undefined) {
      throw new Error(
        `make sure the chaincode ${target.name} has been successfully defined on channel ${context.channelId} and try again`,
      );
    }
    // Same channel: the callee runs with the caller's simulator, the same txid and proposal,
    // so its reads and writes land in the same read-write set under its own namespace.
    const result = await callee.invoke({
      channelId: context.channelId,
      txId: context.txId,
      signedProposal: context.signedProposal,
      input: Buffer.from(input.serializeBinary()),
      simulator: context.simulator,
    });
    const response = new peer.Response();
    response.setStatus(result.status);
    response.setMessage(result.message);
    response.setPayload(result.payload);
    return newMessage(MessageType.COMPLETED, context.channelId, context.txId, response.serializeBinary());
  }
}

function decodeSignedProposal(bytes: Buffer): peer.SignedProposal {
  try {
    return peer.SignedProposal.deserializeBinary(bytes);
  } catch (err) {
    throw new Error(`invalid SignedProposal: ${messageOf(err)}`, { cause: err });
  }
}
