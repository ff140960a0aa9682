import { SseParser, type ServerSentEvent } from './sse-parser';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventStream {
  close(): void;
}

/**
 * Follows `GET /api/v1/events` with the caller's headers (fetch, since EventSource cannot send
 * them), resuming after the last event id when the stream breaks, 1 s then up to 10 s apart.
 * A 401 or 403 ends it (`closed`): the credential is not going to start working.
 */
export function openEventStream(options: {
  readonly headers: Readonly<Record<string, string>>;
  readonly onEvent: (event: ServerSentEvent) => void;
  readonly onStatus: (status: StreamStatus, detail?: string) => void;
}): EventStream {
  const controller = new AbortController();
  let lastId: string | undefined;
  let delayMs = 1000;
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      options.onStatus(lastId === undefined ? 'connecting' : 'reconnecting');
      try {
        const res = await fetch('/api/v1/events', {
          headers: {
            ...options.headers,
            Accept: 'text/event-stream',
            ...(lastId ? { 'Last-Event-ID': lastId } : {}),
          },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401 || res.status === 403) {
          options.onStatus('closed', `the event stream refused this key (${res.status})`);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        options.onStatus('live');
        delayMs = 1000;
        const parser = new SseParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            if (event.id !== undefined) lastId = event.id;
            options.onEvent(event);
          }
        }
      } catch {
        // Network error or abort: retry below unless closed.
      }
      if (controller.signal.aborted) break;
      options.onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
    options.onStatus('closed');
  };
  void run();
  return { close: () => controller.abort() };
}
