import { describe, expect, it } from 'vitest';
import { EventStreamParser, reconnectDelay } from './stream';

describe('the inbox event stream', () => {
  it('reads named events with their data, across chunk boundaries', () => {
    const parser = new EventStreamParser();
    expect(parser.push('retry: 3000\n\nevent: ready\ndata: {"teams":["billing"]}\n\nevent: conv')).toEqual([
      { event: 'ready', data: '{"teams":["billing"]}' },
    ]);
    expect(parser.push('ersation\ndata: {"id":"c1"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'conversation', data: '{"id":"c1"}' }]);
  });

  it('ignores heartbeat comments, joins multi-line data and accepts CRLF', () => {
    const parser = new EventStreamParser();
    expect(parser.push(': heartbeat\n\nevent: message\r\ndata: a\r\ndata: b\r\n\r\n')).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('backs off between reconnections, up to 15 seconds', () => {
    expect([1, 2, 3, 4, 5, 10].map(reconnectDelay)).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
  });
});
