import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGatewayRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

/**
 * A tiny HTTP server standing in for the REST gateway: records requests and answers with
 * `respond` (default 201 `{}`), optionally after a delay.
 */
export async function startFakeGateway(
  respond: (req: FakeGatewayRequest) => {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    delayMs?: number;
  } = () => ({
    status: 201,
  }),
): Promise<{ url: string; requests: FakeGatewayRequest[]; close: () => Promise<void> }> {
  const requests: FakeGatewayRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = {
        path: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      const answer = respond(request);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body ?? {}));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
