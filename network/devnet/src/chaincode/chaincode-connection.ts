import * as grpc from '@grpc/grpc-js';
import { messageOf } from '../error-message';
import { peer } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import { MessageType, newMessage, typeName } from './chaincode-messages';

export interface ChaincodeConnectionOptions {
  /** host:port of the chaincode server. */
  readonly address: string;
  /** How long the chaincode may take to send REGISTER once the stream is open. */
  readonly handshakeTimeoutMs: number;
  readonly logger: Logger;
  /** Every message after the handshake. */
  readonly onMessage: (connection: ChaincodeConnection, message: peer.ChaincodeMessage) => void;
  /** Called once when the stream ends for any reason other than `close()`. */
  readonly onClose: (connection: ChaincodeConnection, reason: string) => void;
}

/**
 * One `/protos.Chaincode/Connect` stream, dialled the way a Fabric peer dials a
 * chaincode-as-a-service server. The chaincode speaks first: it sends REGISTER, and the peer
 * answers REGISTERED then READY. The peer never sends KEEPALIVE:
 * fabric-shim exits on any message type it does not expect.
 */
export class ChaincodeConnection {
  /** The `ChaincodeID.name` the chaincode registered with (its `--chaincode-id`). */
  readonly registeredName: string;
  readonly #client: grpc.Client;
  readonly #call: grpc.ClientDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage>;
  #open = true;

  private constructor(
    client: grpc.Client,
    call: grpc.ClientDuplexStream<peer.ChaincodeMessage, peer.ChaincodeMessage>,
    registeredName: string,
  ) {
    this.#client = client;
    this.#call = call;
    this.registeredName = registeredName;
  }

  /**
   * Dials the chaincode and completes the handshake.
   * @throws Error if the stream fails, the first message is not a valid REGISTER, or no
   *   REGISTER arrives within the handshake timeout.
   */
  static open(options: ChaincodeConnectionOptions): Promise<ChaincodeConnection> {
    const client = new peer.ChaincodeClient(options.address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': -1,
    });
    const call = client.connect();
    return new Promise<ChaincodeConnection>((resolve, reject) => {
      let connection: ChaincodeConnection | undefined;
      let settled = false;
      const fail = (reason: string): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          call.cancel();
          client.close();
          reject(new Error(`chaincode handshake with ${options.address} failed: ${reason}`));
          return;
        }
        if (connection !== undefined && connection.#open) {
          connection.#open = false;
          client.close();
          options.onClose(connection, reason);
        }
      };
      const timer = setTimeout(
        () => fail(`no REGISTER message within ${options.handshakeTimeoutMs} ms`),
        options.handshakeTimeoutMs,
      );

      call.on('data', (message: peer.ChaincodeMessage) => {
        if (connection !== undefined) {
          options.onMessage(connection, message);
          return;
        }
        if (settled) return;
        const type = message.getType();
        if (type !== MessageType.REGISTER) {
          fail(`expected REGISTER, received ${typeName(type)}`);
          return;
        }
        let name: string;
        try {
          name = peer.ChaincodeID.deserializeBinary(message.getPayload_asU8()).getName();
        } catch (err) {
          fail(`bad REGISTER payload: ${messageOf(err)}`);
          return;
        }
        if (name === '') {
          fail('REGISTER carries an empty chaincode name');
          return;
        }
        call.write(newMessage(MessageType.REGISTERED, '', ''));
        call.write(newMessage(MessageType.READY, '', ''));
        connection = new ChaincodeConnection(client, call, name);
        settled = true;
        clearTimeout(timer);
        options.logger.debug({ address: options.address, registeredName: name }, 'chaincode registered');
        resolve(connection);
      });
      call.on('error', (err: grpc.ServiceError) => fail(err.details || err.message));
      call.on('end', () => fail('the chaincode ended the stream'));
    });
  }

  get open(): boolean {
    return this.#open;
  }

  send(message: peer.ChaincodeMessage): void {
    if (this.#open) this.#call.write(message);
  }

  /** Ends the stream without calling `onClose`. Idempotent. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#call.end();
    this.#call.cancel();
    this.#client.close();
  }
}
