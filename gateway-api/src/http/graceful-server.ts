import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Logger } from 'pino';

/** How a stop went. */
export interface ShutdownOutcome {
  /** Every request finished and every connection closed within the grace period. */
  readonly clean: boolean;
  /** Connections still open when the grace period ended, closed then (0 when clean). */
  readonly cutConnections: number;
}

export interface GracefulServerOptions {
  /** The request handler (Koa's `app.callback()`, which handles its own errors). */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Aborted when the stop begins: event streams end and /readyz answers 503. */
  readonly shutdown: AbortController;
  /** How long in-flight requests get before the connections left are closed. */
  readonly graceMs: number;
  /** Closed last, when no request can use it any more. */
  readonly ledger: { close(): void };
  /** Run once HTTP is drained, before the ledger closes (the intake finishing its ledger calls). */
  readonly beforeLedgerCloses?: () => Promise<void>;
  readonly logger: Logger;
}

/** An HTTP server that stops without cutting the requests it has accepted. */
export interface GracefulServer {
  /** Not listening yet: the caller listens. */
  readonly server: Server;
  /**
   * Stop: no new connections; requests in flight, and requests that arrive on connections
   * already open, are answered normally with `Connection: close`; connections without a
   * request are closed once none is in flight; after the grace period whatever is left is
   * closed; the ledger is closed last. Later calls return the first call's outcome.
   */
  stop(): Promise<ShutdownOutcome>;
}

class DrainingServer implements GracefulServer {
  readonly server: Server;
  readonly #options: GracefulServerOptions;
  readonly #sockets = new Set<Socket>();
  readonly #responses = new Set<ServerResponse>();
  #draining = false;
  #stopped: Promise<ShutdownOutcome> | undefined;

  constructor(options: Readonly<GracefulServerOptions>) {
    this.#options = options;
    this.server = createServer(options.handler);
    this.server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.server.on('request', (_req, res: ServerResponse) => {
      this.#responses.add(res);
      if (this.#draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.#responses.delete(res);
        this.#closeIdleWhenQuiet();
      });
    });
  }

  stop(): Promise<ShutdownOutcome> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<ShutdownOutcome> {
    const { shutdown, graceMs, ledger, logger } = this.#options;
    try {
      // Everything up to the first await runs at once: when stop() returns, the port is closed.
      this.#draining = true;
      for (const res of this.#responses) if (!res.headersSent) res.setHeader('Connection', 'close');
      shutdown.abort();
      // Not server.close(): since Node 19 it also destroys idle keep-alive connections at once,
      // and a request a client is writing on one at that moment is reset unanswered. Stop
      // listening only; idle connections stay usable until no request is in flight.
      const closed = new Promise<true>((resolve) =>
        NetServer.prototype.close.call(this.server, () => resolve(true)),
      );
      logger.info(
        { inFlight: this.#responses.size, connections: this.#sockets.size, graceMs },
        'shutting down: draining HTTP connections',
      );
      this.#closeIdleWhenQuiet();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const clean = await Promise.race([closed, graceOver]);
      clearTimeout(timer);
      if (clean) {
        logger.info('HTTP connections drained');
        return { clean, cutConnections: 0 };
      }
      const cutConnections = this.#sockets.size;
      logger.warn(
        { inFlight: this.#responses.size, cutConnections, graceMs },
        'shutdown grace period over: closing the connections left',
      );
      for (const socket of this.#sockets) socket.destroy();
      await closed;
      return { clean, cutConnections };
    } finally {
      await this.#options
        .beforeLedgerCloses?.()
        .catch((err: unknown) => logger.error({ err }, 'could not stop cleanly before closing the ledger'));
      ledger.close();
    }
  }

  /** While draining and no request is in flight, close the connections that have none. */
  #closeIdleWhenQuiet(): void {
    if (this.#draining && this.#responses.size === 0) this.server.closeIdleConnections();
  }
}

/**
 * An HTTP server over `handler` whose `stop()` drains it (see `GracefulServer.stop`).
 * The caller listens on `server`.
 */
export function newGracefulServer(options: Readonly<GracefulServerOptions>): GracefulServer {
  return new DrainingServer(options);
}
