import { status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { RpcError } from './rpc-error';

/**
 * A peer's concurrency limit of one gRPC service (Fabric's `peer.limits.concurrency.*`,
 * internal/peer/node/grpc_limiters.go): a call that finds `max` calls of the service in flight is
 * refused at once with Fabric's text (a plain error there, so gRPC status UNKNOWN), instead of
 * queueing without bound. 0 disables it, as in Fabric. A stream holds its place while it is open.
 */
export class ConcurrencyLimit {
  readonly #service: string;
  readonly #max: number;
  readonly #logger: Logger;
  #inFlight = 0;
  #refusedSinceLog = 0;
  #lastLog = 0;

  constructor(service: string, max: number, logger: Logger) {
    this.#service = service;
    this.#max = max;
    this.#logger = logger;
  }

  /**
   * Takes a place; answers the function that gives it back (call it once).
   * @throws RpcError UNKNOWN `too many requests for <service>, exceeding concurrency limit (<max>)`.
   */
  acquire(): () => void {
    if (this.#max > 0 && this.#inFlight >= this.#max) {
      this.#refused();
      throw new RpcError(
        status.UNKNOWN,
        `too many requests for ${this.#service}, exceeding concurrency limit (${this.#max})`,
      );
    }
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
    };
  }

  /** Fabric logs every refusal at error level; here one line a second says how many there were. */
  #refused(): void {
    this.#refusedSinceLog += 1;
    const now = Date.now();
    if (now - this.#lastLog < 1000) return;
    this.#logger.error(
      { service: this.#service, limit: this.#max, refused: this.#refusedSinceLog },
      `Too many requests for ${this.#service}, exceeding concurrency limit (${this.#max})`,
    );
    this.#refusedSinceLog = 0;
    this.#lastLog = now;
  }
}
