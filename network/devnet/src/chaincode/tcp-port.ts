import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port that was free on `host` a moment ago. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no free port on ${host}`))));
    });
  });
}

/** Splits `host:port` (IPv6 hosts in brackets). */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(address);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) {
    throw new Error(`invalid chaincode address '${address}': expected host:port`);
  }
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port };
}

/**
 * Retries a TCP connect until something listens on the address.
 * @param abort checked between attempts; a returned text aborts the wait with that text.
 * @throws Error on timeout or abort.
 */
export async function waitForListening(
  address: string,
  timeoutMs: number,
  abort: () => string | undefined = () => undefined,
): Promise<void> {
  const { host, port } = parseAddress(address);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort();
    if (reason !== undefined) throw new Error(reason);
    if (await canConnect(host, port)) return;
    if (Date.now() >= deadline) {
      throw new Error(`nothing listens on ${address} after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
