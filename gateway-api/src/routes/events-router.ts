import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Caller } from '../auth/authenticator';
import { ApiError } from '../errors/error-catalog';
import { newCareLedger } from '../ledger/care-ledger';
import type { CommittedNotice, CommittedReadings } from '../ledger/committed-readings';
import type { LedgerClient } from '../ledger/ledger-client';
import { withDetails } from './event-details';
import { hearsOfAnyVitals, hearsOfVitals, parseEventId, visiblePart } from './event-visibility';

/** Largest backlog a slow SSE client may build before it is cut off (it resumes with Last-Event-ID). */
const maxBufferedBytes = 1024 * 1024;
const heartbeatMs = 15_000;

/** The SSE events of committed private data (not chaincode events: the gateway's own). */
export const noticeEvents = { reading: 'ReadingCommitted', acknowledgement: 'AlertAcknowledged' } as const;

/** A notice as the stream sends it: ids only, no `id:` line (notices are live, not resumed). */
function noticeMessage(committed: CommittedNotice): string {
  const { patientId, readingId, custodianMspId } = committed.notice;
  const data =
    committed.kind === 'reading'
      ? { patientId, readingId, type: committed.notice.type, custodianMspId }
      : { patientId, readingId, custodianMspId };
  return `event: ${noticeEvents[committed.kind]}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * GET /events: chaincode events as Server-Sent Events, filtered per caller, with the details the
 * caller may read resolved on the ledger, resumable; and, with `readings`, a `ReadingCommitted`
 * notice (ids only) of every reading of the caller's organisation that the caller hears of as
 * it hears of alerts (`hearsOfVitals`), from the organisation's own private data.
 * Streams end when `shutdown` aborts (clients reconnect with Last-Event-ID).
 */
export function newEventsRouter(deps: {
  readonly ledger: LedgerClient;
  readonly readings?: CommittedReadings;
  readonly shutdown?: AbortSignal;
  readonly heartbeatMs?: number;
}): Router {
  const router = new Router();
  const careLedger = newCareLedger(deps.ledger);
  router.get('/events', async (ctx) => {
    const caller = ctx.state.caller as Caller;
    const lastId =
      ctx.get('last-event-id') || (typeof ctx.query.lastEventId === 'string' ? ctx.query.lastEventId : '');
    const resume = parseEventId(lastId || undefined);
    if (lastId && !resume) {
      throw new ApiError('INVALID_ARGUMENT', 'Last-Event-ID: not an id this stream sent', {
        details: { field: 'Last-Event-ID' },
      });
    }
    const events = await deps.ledger.events(caller.identity, resume);
    const stream = new PassThrough();
    let unsubscribe: (() => void) | undefined;
    if (deps.readings !== undefined && hearsOfAnyVitals(caller)) {
      try {
        unsubscribe = await deps.readings.subscribe({
          identity: caller.identity,
          mspId: caller.mspId,
          onNotice: (committed) => {
            const { patientId, custodianMspId } = committed.notice;
            if (hearsOfVitals(caller, patientId, custodianMspId)) stream.write(noticeMessage(committed));
          },
        });
      } catch (err) {
        events.close();
        throw err;
      }
    }
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    // No Connection header of its own: Node sends keep-alive, or the `close` a draining server set.
    ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
    ctx.status = 200;
    ctx.body = stream;
    stream.write(': connected\n\n');
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), deps.heartbeatMs ?? heartbeatMs);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe?.();
      unsubscribe = undefined;
      deps.shutdown?.removeEventListener('abort', stop);
      events.close();
      stream.end();
    };
    ctx.req.on('close', stop);
    if (deps.shutdown?.aborted) stop();
    else deps.shutdown?.addEventListener('abort', stop);
    void (async () => {
      try {
        for await (const event of events) {
          let payload: unknown;
          try {
            payload = JSON.parse(Buffer.from(event.payload).toString('utf8'));
          } catch {
            continue;
          }
          const visible = visiblePart(caller, event.eventName, payload);
          if (visible === undefined) continue;
          const shown = await withDetails(careLedger, caller, event.eventName, visible);
          const id = `${event.blockNumber}:${event.transactionId}`;
          stream.write(`id: ${id}\nevent: ${event.eventName}\ndata: ${JSON.stringify(shown)}\n\n`);
          if (stream.writableLength > maxBufferedBytes) break;
        }
      } catch {
        // The stream ended (client gone or ledger unreachable); the client resumes with Last-Event-ID.
      } finally {
        stop();
      }
    })();
  });
  return router;
}
