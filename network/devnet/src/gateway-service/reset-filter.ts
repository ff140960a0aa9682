import { Duplex } from 'node:stream';

const connectionPrefaceLength = 24; // 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
const frameHeaderLength = 9;
const rstStreamType = 0x3;
const rstStreamLength = 4;
const noError = 0x0;

/**
 * An HTTP/2 server connection that passes the client's bytes on unchanged except RST_STREAM
 * frames with error code NO_ERROR, which it drops; the server's bytes go to the client unchanged.
 *
 * Why: Node's HTTP/2 server (nghttp2's rapid-reset guard, CVE-2023-44487) allows a client 1000
 * RST_STREAM frames and 33 more a second, and past that ends the connection with GOAWAY
 * INTERNAL_ERROR: every call in flight fails `13 INTERNAL: Received RST_STREAM with code 2
 * triggered by internal client error: Session closed with error code 2`. @grpc/grpc-js 1.10.3
 * (Hyperledger Caliper 0.6's fabric-gateway binding) sends RST_STREAM NO_ERROR after every call
 * that ended OK (later versions half-close instead), so it lost its connection about every
 * thousand calls. Fabric's peer (grpc-go) counts no resets and serves it. Node 20 ignores the
 * server options that would raise the limit (`streamResetBurst`, `streamResetRate`).
 *
 * Dropping them is safe: a gRPC client resets with NO_ERROR only a call whose OK status it has
 * received, that is a stream the server has closed already, where a reset changes nothing. Were a
 * stream still open, the client's HTTP/2 stack answers the server's next frame on it with
 * RST_STREAM STREAM_CLOSED, which passes. Resets with any other code (CANCEL: a cancelled call or
 * a deadline) pass and count against the guard, which stays in force.
 */
export function newResetFilter(socket: Duplex): Duplex {
  return new ResetFilter(socket);
}

class ResetFilter extends Duplex {
  readonly #socket: Duplex;
  /** Bytes still to pass unchanged: the preface, then each frame's payload. */
  #passThrough = connectionPrefaceLength;
  /** A frame header (and an RST_STREAM's error code) collected across chunks. */
  #head = Buffer.alloc(frameHeaderLength + rstStreamLength);
  #headLength = 0;
  #headNeeded = frameHeaderLength;

  constructor(socket: Duplex) {
    super({ allowHalfOpen: true });
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      const kept = this.#filter(chunk);
      if (kept.length > 0 && !this.push(kept)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err: Error) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.#socket.write(chunk, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.#socket.end(done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.#socket.destroy(err ?? undefined);
    done(err);
  }

  #filter(chunk: Buffer): Buffer {
    const kept: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.#passThrough > 0) {
        const n = Math.min(this.#passThrough, chunk.length - at);
        kept.push(chunk.subarray(at, at + n));
        this.#passThrough -= n;
        at += n;
        continue;
      }
      const n = Math.min(this.#headNeeded - this.#headLength, chunk.length - at);
      chunk.copy(this.#head, this.#headLength, at, at + n);
      this.#headLength += n;
      at += n;
      if (this.#headLength < this.#headNeeded) break;
      const length = this.#head.readUIntBE(0, 3);
      const isReset = this.#head[3] === rstStreamType && length === rstStreamLength;
      if (isReset && this.#headNeeded === frameHeaderLength) {
        this.#headNeeded = frameHeaderLength + rstStreamLength;
        continue;
      }
      if (!(isReset && this.#head.readUInt32BE(frameHeaderLength) === noError)) {
        kept.push(Buffer.from(this.#head.subarray(0, this.#headNeeded)));
        if (!isReset) this.#passThrough = length;
      }
      this.#headLength = 0;
      this.#headNeeded = frameHeaderLength;
    }
    return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
  }
}
