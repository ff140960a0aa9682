/** One Server-Sent Event. */
export interface ServerSentEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/**
 * An incremental parser of a `text/event-stream` body (the WHATWG rules CareLedger's stream
 * needs: `id`, `event`, multi-line `data`, comments, CRLF or LF). EventSource cannot send the
 * API key header, so the page reads the stream with fetch and parses it here.
 */
export class SseParser {
  #buffer = '';
  #id: string | undefined;
  #event = '';
  #data: string[] = [];

  /** Feed decoded text; answers the events it completed. */
  push(text: string): ServerSentEvent[] {
    this.#buffer += text;
    const events: ServerSentEvent[] = [];
    let end: number;
    while ((end = this.#buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.#buffer.slice(0, end);
      const eol = this.#buffer.startsWith('\r\n', end) ? 2 : 1;
      this.#buffer = this.#buffer.slice(end + eol);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const event =
        this.#data.length > 0
          ? {
              ...(this.#id === undefined ? {} : { id: this.#id }),
              event: this.#event || 'message',
              data: this.#data.join('\n'),
            }
          : undefined;
      this.#event = '';
      this.#data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    return undefined;
  }
}
