import { request, type Agent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ExchangeInit {
  /** Decides connection reuse: a keep-alive agent sends on its idle sockets first. */
  readonly agent: Agent;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
}

/**
 * One request over node:http, whose socket errors keep their codes (ECONNREFUSED, ECONNRESET).
 * @throws the socket's error when no complete answer arrived.
 */
export function exchange(url: string, init: ExchangeInit): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = request(url, {
      agent: init.agent,
      method: init.method ?? 'GET',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    });
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.end(body);
  });
}

/** An open response stream (e.g. SSE): resolves once its headers and first bytes arrived. */
export function openStream(
  url: string,
  init: ExchangeInit,
): Promise<{ readonly status: number; readonly ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: init.agent, headers: init.headers });
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      const ended = new Promise<void>((end, fail) => {
        res.once('end', end);
        res.once('error', fail);
      });
      ended.catch(() => undefined); // observed by whoever awaits it
      res.once('data', () => resolve({ status: res.statusCode ?? 0, ended }));
      res.resume();
    });
    req.end();
  });
}
