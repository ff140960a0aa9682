import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';

type Stream = grpc.ServerDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage>;

export interface ScriptedChaincodeServerOptions {
  /** The first message sent on each stream; default REGISTER with ChaincodeID `name`. */
  readonly firstMessage?: peer.ChaincodeMessage | null;
  readonly name?: string;
}

/**
 * TEST DOUBLE: a chaincode-as-a-service server whose side of the conversation the test writes
 * message by message, to check exactly what the peer side sends (handshake order, replies,
 * batches) without a real fabric-shim.
 */
export class ScriptedChaincodeServer {
  readonly address: string;
  readonly #server: grpc.Server;
  readonly #received: peer.ChaincodeMessage[] = [];
  readonly #waiters: ((message: peer.ChaincodeMessage) => void)[] = [];
  #stream: Stream | undefined;

  private constructor(server: grpc.Server, address: string) {
    this.#server = server;
    this.address = address;
  }

  static async start(options: ScriptedChaincodeServerOptions = {}): Promise<ScriptedChaincodeServer> {
    const server = new grpc.Server();
    const holder: { instance?: ScriptedChaincodeServer } = {};
    server.addService(peer.ChaincodeService, {
      connect: (stream: Stream) => {
        const target = holder.instance;
        if (target === undefined) return;
        target.#stream = stream;
        stream.on('data', (message: peer.ChaincodeMessage) => target.#push(message));
        stream.on('error', () => undefined);
        const first =
          options.firstMessage === undefined ? register(options.name ?? 'scripted:1') : options.firstMessage;
        if (first !== null) stream.write(first);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
        err === null ? resolve(bound) : reject(err),
      ),
    );
    holder.instance = new ScriptedChaincodeServer(server, `127.0.0.1:${port}`);
    return holder.instance;
  }

  /** The next message the peer side sent (waits for it). */
  next(timeoutMs = 2000): Promise<peer.ChaincodeMessage> {
    const ready = this.#received.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  /** Messages received and not yet taken with `next()`. */
  get pending(): readonly peer.ChaincodeMessage[] {
    return this.#received;
  }

  send(message: peer.ChaincodeMessage): void {
    if (this.#stream === undefined) throw new Error('no stream is open');
    this.#stream.write(message);
  }

  /** Sends a request as fabric-shim would and returns the peer's answer. */
  async request(
    type: peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap],
    channelId: string,
    txId: string,
    payload: Uint8Array,
  ): Promise<peer.ChaincodeMessage> {
    const message = new peer.ChaincodeMessage();
    message.setType(type);
    message.setChannelId(channelId);
    message.setTxid(txId);
    message.setPayload(payload);
    this.send(message);
    return this.next();
  }

  /** Ends the open stream with an error, as a crashing chaincode would. */
  dropStream(): void {
    // grpc-js sends an 'error' emitted on a server stream to the client as the call's status.
    this.#stream?.emit('error', { code: grpc.status.UNAVAILABLE, details: 'dropped by test' });
  }

  async stop(): Promise<void> {
    this.#server.forceShutdown();
  }

  #push(message: peer.ChaincodeMessage): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(message);
    else this.#received.push(message);
  }
}

function register(name: string): peer.ChaincodeMessage {
  const id = new peer.ChaincodeID();
  id.setName(name);
  const message = new peer.ChaincodeMessage();
  message.setType(peer.ChaincodeMessage.Type.REGISTER);
  message.setPayload(id.serializeBinary());
  return message;
}
