import { Agent } from 'node:http';
import type { CallRequest } from '../ledger/ledger-client';
import { exchange, openStream, type ExchangeInit } from '../testing/http-exchange';
import { startTestApp, type TestApp } from '../testing/test-app';
import { sampleReading } from '../testing/sample-reading';

const reading = sampleReading;

/** A promise and the function that settles it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Vitals:record calls wait for `release`; `arrived` settles when the first reached the ledger. */
function holdWrites(app: TestApp) {
  const arrived = deferred();
  const release = deferred();
  app.ledger.answer = async (request: CallRequest) => {
    if (request.transaction !== 'Vitals:record') return { ok: true };
    arrived.resolve();
    await release.promise;
    return { replayed: false, reading };
  };
  return { arrived: arrived.promise, release: () => release.resolve() };
}

/** A keep-alive agent with `sockets` idle connections to the app. */
async function warmAgent(app: TestApp, sockets: number): Promise<Agent> {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const answers = await Promise.all(
    Array.from({ length: sockets }, () => exchange(`${app.url}/healthz`, { agent })),
  );
  expect(answers.map((a) => a.headers.connection)).toEqual(answers.map(() => 'keep-alive'));
  expect(Object.values(agent.freeSockets).flat()).toHaveLength(sockets);
  return agent;
}

const as = (app: TestApp, name: string, init: ExchangeInit): ExchangeInit => ({
  ...init,
  headers: { 'x-api-key': app.keys[name] ?? '', ...init.headers },
});

describe('GracefulServer', () => {
  describe('stop', () => {
    let app: TestApp;
    afterEach(async () => {
      await app.close();
    });

    it('lets a held write finish, refuses new connections and ends event streams', async () => {
      app = startTestApp({ graceMs: 30_000 });
      const { arrived, release } = holdWrites(app);
      const keepAlive = await warmAgent(app, 2);
      const events = await openStream(
        `${app.url}/api/v1/events`,
        as(app, 'a-doctor', { agent: new Agent({ keepAlive: true }) }),
      );
      expect(events.status).toBe(200);
      const write = exchange(
        `${app.url}/api/v1/vitals`,
        as(app, 'a-nurse', { agent: new Agent({ keepAlive: true }), method: 'POST', body: reading }),
      );
      await arrived;

      const stopped = app.close();
      // Written on idle keep-alive connections the moment the drain began: answered, with close.
      const [ready, health] = await Promise.all([
        exchange(`${app.url}/readyz`, { agent: keepAlive }),
        exchange(`${app.url}/healthz`, { agent: keepAlive }),
      ]);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ error: { code: 'SHUTTING_DOWN' } });
      expect(ready.headers.connection).toBe('close');
      expect([health.status, health.headers.connection]).toEqual([200, 'close']);
      await expect(exchange(`${app.url}/healthz`, { agent: new Agent() })).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
      await events.ended;
      expect(app.ledger.closedStreams).toBe(1);
      expect(app.ledger.closed).toBe(false);

      release();
      const written = await write;
      expect([written.status, written.headers.connection]).toEqual([201, 'close']);
      expect(JSON.parse(written.body)).toMatchObject({ meta: { transactionId: 'b'.repeat(64) } });
      expect(await stopped).toEqual({ clean: true, cutConnections: 0 });
      expect(app.ledger.closed).toBe(true);
      expect(app.ledger.callsOpenAtClose).toBe(0);
    });

    it('closes idle keep-alive connections at once when no request is in flight', async () => {
      app = startTestApp({ graceMs: 30_000 });
      const keepAlive = await warmAgent(app, 3);
      const [socket] = Object.values(keepAlive.freeSockets).flat();
      const socketClosed = new Promise((resolve) => socket?.once('close', resolve));
      expect(await app.close()).toEqual({ clean: true, cutConnections: 0 });
      await socketClosed;
      expect(app.ledger.closed).toBe(true);
    });

    it('closes what is left when the grace period ends, then the ledger', async () => {
      app = startTestApp({ graceMs: 200 });
      const { arrived } = holdWrites(app);
      const write = exchange(
        `${app.url}/api/v1/vitals`,
        as(app, 'a-nurse', { agent: new Agent(), method: 'POST', body: reading }),
      );
      await arrived;
      expect(await app.close()).toEqual({ clean: false, cutConnections: 1 });
      await expect(write).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(app.ledger.closed).toBe(true);
      expect(app.ledger.callsOpenAtClose).toBe(1);
    });

    it('answers a second stop with the first one’s outcome', async () => {
      app = startTestApp();
      const first = app.close();
      expect(app.close()).toBe(first);
      expect(await first).toEqual({ clean: true, cutConnections: 0 });
    });
  });
});
