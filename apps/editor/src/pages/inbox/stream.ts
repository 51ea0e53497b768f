import { readHeaders, reportUnauthorized } from '../../api/client';

/** One server-sent event: its `event:` name (default `message`) and its `data:` lines joined. */
export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream into events. Feed it chunks as they arrive; it keeps an unfinished event
 * until its blank line comes. Comments (`: ping`) and `id:`/`retry:` fields are ignored.
 */
export class EventStreamParser {
  private buffer = '';

  push(chunk: string): StreamEvent[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const events: StreamEvent[] = [];
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length || event !== 'message') events.push({ event, data: data.join('\n') });
    }
    return events;
  }
}

/** Waits before the next attempt: 1 s, 2 s, 4 s… up to 15 s; back to 1 s once a stream opened. */
export function reconnectDelay(failures: number): number {
  return Math.min(15_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * Follows `path` (server-sent events) until `signal` aborts, reconnecting after a drop. `onOpen` runs on
 * every (re)connection, so the caller fetches what it may have missed meanwhile.
 */
export function followStream(
  path: string,
  handlers: { onEvent(e: StreamEvent): void; onOpen(): void; onStatus(s: StreamStatus): void },
  signal: AbortSignal,
): void {
  let failures = 0;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  const once = async () => {
    const res = await fetch(path, {
      headers: { ...readHeaders(), accept: 'text/event-stream' },
      credentials: 'same-origin',
      signal,
    });
    if (res.status === 401) reportUnauthorized();
    if (!res.ok || !res.body) throw new Error(`${path} answered ${res.status}`);
    failures = 0;
    handlers.onStatus('live');
    handlers.onOpen();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new EventStreamParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const e of parser.push(value)) handlers.onEvent(e);
    }
  };
  void (async () => {
    handlers.onStatus('connecting');
    while (!signal.aborted) {
      const started = Date.now();
      let ended = false;
      try {
        await once();
        ended = true;
      } catch {
        // Dropped or refused: try again below (an abort ends the loop).
      }
      if (signal.aborted) return;
      // The server ends streams after a while (so they authenticate again): reconnect at once. A stream
      // that ends as soon as it opened, or fails, waits longer each time.
      if (ended && Date.now() - started > 5_000) continue;
      failures++;
      handlers.onStatus('reconnecting');
      await wait(reconnectDelay(failures));
    }
  })();
}
