import * as grpc from '@grpc/grpc-js';

export interface GrpcConnectionOptions {
  /** PEM bundle of the TLS CAs to trust; without it the connections are plaintext. */
  readonly tlsRootsPem?: Buffer;
  readonly hostnameOverride?: string;
  /**
   * Longest wait between reconnection attempts to an endpoint that went away (default 1000 ms).
   * gRPC's own default grows to 120 s, so after a long outage the client would stay
   * disconnected for tens of seconds after the peer is back.
   */
  readonly maxReconnectBackoffMs?: number;
}

/** The first reconnection attempt's delay; gRPC doubles it (with jitter) up to the maximum. */
export const INITIAL_RECONNECT_BACKOFF_MS = 250;

/**
 * One long-lived gRPC client per peer endpoint, created on first use and shared by every
 * caller of that endpoint (gRPC multiplexes calls over it); closed once, on shutdown.
 */
export class GrpcConnections {
  readonly #options: GrpcConnectionOptions;
  readonly #clients = new Map<string, grpc.Client>();

  constructor(options: Readonly<GrpcConnectionOptions>) {
    this.#options = options;
  }

  get(endpoint: string): grpc.Client {
    let client = this.#clients.get(endpoint);
    if (!client) {
      const credentials = this.#options.tlsRootsPem
        ? grpc.credentials.createSsl(this.#options.tlsRootsPem)
        : grpc.credentials.createInsecure();
      const channelOptions: grpc.ChannelOptions = {
        'grpc.keepalive_time_ms': 120_000,
        'grpc.max_send_message_length': 16 * 1024 * 1024,
        'grpc.max_receive_message_length': 16 * 1024 * 1024,
        'grpc.initial_reconnect_backoff_ms': INITIAL_RECONNECT_BACKOFF_MS,
        'grpc.max_reconnect_backoff_ms': this.#options.maxReconnectBackoffMs ?? 1000,
      };
      if (this.#options.hostnameOverride) {
        channelOptions['grpc.ssl_target_name_override'] = this.#options.hostnameOverride;
      }
      client = new grpc.Client(endpoint, credentials, channelOptions);
      this.#clients.set(endpoint, client);
    }
    return client;
  }

  /** Endpoints with an open client. */
  endpoints(): string[] {
    return [...this.#clients.keys()];
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
