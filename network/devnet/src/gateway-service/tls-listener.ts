import { createServer, type Server, type TLSSocket } from 'node:tls';

export interface TlsListenerOptions {
  readonly host: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** PEM server certificate (chain) and key. */
  readonly tls: { readonly certificatePem: string; readonly keyPem: string };
  /** Each connection once its TLS handshake has chosen HTTP/2. */
  onConnection(socket: TLSSocket): void;
}

/** A listening TLS port that offers HTTP/2 only. */
export interface TlsListener {
  readonly port: number;
  /** Stops accepting connections; open ones stay until their owner ends them. */
  close(): Promise<void>;
  /** Ends every connection still open. */
  destroyConnections(): void;
}

/**
 * Listens for TLS connections as a gRPC server over TLS does (ALPN `h2`, TLS 1.2 or newer, no
 * client certificate asked for) and hands each one over decrypted; one that does not negotiate
 * HTTP/2 is closed.
 * @throws Error if the port cannot be bound.
 */
export async function listenTls(options: TlsListenerOptions): Promise<TlsListener> {
  const sockets = new Set<TLSSocket>();
  const server: Server = createServer(
    {
      cert: options.tls.certificatePem,
      key: options.tls.keyPem,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
      requestCert: false,
    },
    (socket) => {
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      options.onConnection(socket);
    },
  );
  // A client that drops during its handshake is its own problem, not the server's.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('TLS listener has no TCP port');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
