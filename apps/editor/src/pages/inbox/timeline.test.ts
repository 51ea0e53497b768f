import { describe, expect, it } from 'vitest';
import { readTimeline } from './timeline';

describe('a conversation’s history', () => {
  it('reads the customer’s messages, messages sent to them, notes and routing events, in order', () => {
    const items = readTimeline([
      {
        type: 'in',
        at: '2026-05-04T10:00:00Z',
        sentAt: '2026-05-04T10:00:00Z',
        messageId: 'wamid.1',
        profileName: 'Ana',
        message: { type: 'text', text: 'Hola, mi factura' },
        preview: 'Hola, mi factura',
      },
      {
        type: 'event',
        at: '2026-05-04T10:00:01Z',
        conversationId: 'c1',
        kind: 'assigned',
        data: { agentId: 'ana' },
      },
      {
        type: 'out',
        at: '2026-05-04T10:00:02Z',
        id: 'o1',
        kind: 'text',
        status: 'read',
        source: 'flow',
        by: null,
        runId: 'r1',
        nodeId: 'reply',
        payload: { type: 'text', text: 'Te atiende Ana' },
        preview: 'Te atiende Ana',
        error: null,
        statuses: [],
      },
      {
        type: 'event',
        at: '2026-05-04T10:01:00Z',
        conversationId: 'c1',
        kind: 'note',
        data: { text: 'Cliente VIP', by: { userId: 'u1', name: 'Ana', agentId: 'ana' } },
      },
      {
        type: 'out',
        at: '2026-05-04T10:02:00Z',
        id: 'o2',
        kind: 'text',
        status: 'failed',
        source: 'agent',
        by: { userId: 'u1', name: 'Ana' },
        preview: 'Lo miro',
        error: { code: 131026, title: 'Message undeliverable' },
        statuses: [],
      },
    ]);
    expect(items.map((i) => i.kind)).toEqual(['inbound', 'event', 'outbound', 'note', 'outbound']);
    expect(items[0]).toMatchObject({ id: 'wamid.1', text: 'Hola, mi factura', type: 'text' });
    expect(items[1]).toMatchObject({ event: 'assigned', data: { agentId: 'ana' } });
    expect(items[2]).toMatchObject({ source: 'flow', status: 'read', text: 'Te atiende Ana', author: null });
    expect(items[3]).toMatchObject({ text: 'Cliente VIP', author: 'Ana' });
    expect(items[4]).toMatchObject({
      source: 'agent',
      author: 'Ana',
      error: { code: '131026', title: 'Message undeliverable' },
    });
  });

  it('gives every row its own key, events included', () => {
    const event = {
      type: 'event',
      at: '2026-05-04T10:00:01Z',
      conversationId: 'c1',
      kind: 'queued',
      data: {},
    };
    const ids = readTimeline([event, event]).map((i) => i.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('is empty when the server sent none', () => {
    expect(readTimeline(undefined)).toEqual([]);
  });
});
