import { describe, expect, it } from 'vitest';
import { composerMode, formatDuration, inboxList, slaCountdown, ticksOf, windowOpen } from './model';
import type { InboxConversation, TimelineItem } from './types';

const NOW = Date.parse('2026-05-04T10:00:00Z');

function conv(id: string, over: Partial<InboxConversation> = {}): InboxConversation {
  return {
    id,
    channel: 'default',
    waId: '34600000001',
    contactName: null,
    teamId: 'billing',
    agentId: null,
    priority: 'normal',
    state: 'queued',
    queuedBecause: null,
    summary: '',
    flowId: null,
    slaDueAt: null,
    openedAt: '2026-05-04T09:00:00Z',
    assignedAt: null,
    pickedUpAt: null,
    closedAt: null,
    updatedAt: '2026-05-04T09:00:00Z',
    ...over,
  };
}

describe('the conversation list', () => {
  it('puts the most urgent first, then the one waiting longest', () => {
    const list = inboxList(
      [
        conv('normal-new', { openedAt: '2026-05-04T09:50:00Z' }),
        conv('low-old', { priority: 'low', openedAt: '2026-05-04T07:00:00Z' }),
        conv('normal-old', { openedAt: '2026-05-04T08:00:00Z' }),
        conv('urgent-new', { priority: 'urgent', openedAt: '2026-05-04T09:59:00Z' }),
        conv('high', { priority: 'high', openedAt: '2026-05-04T09:30:00Z' }),
      ],
      'teams',
      null,
    );
    expect(list.map((c) => c.id)).toEqual(['urgent-new', 'high', 'normal-old', 'normal-new', 'low-old']);
  });

  it('leaves closed conversations out', () => {
    const list = inboxList([conv('a'), conv('b', { state: 'closed' })], 'teams', null);
    expect(list.map((c) => c.id)).toEqual(['a']);
  });

  it('"assigned to me" keeps only the agent’s own, and nothing for someone who is no agent', () => {
    const all = [
      conv('mine', { agentId: 'ana', state: 'assigned' }),
      conv('theirs', { agentId: 'bob' }),
      conv('nobody'),
    ];
    expect(inboxList(all, 'mine', 'ana').map((c) => c.id)).toEqual(['mine']);
    expect(inboxList(all, 'mine', null)).toEqual([]);
    expect(inboxList(all, 'teams', 'ana')).toHaveLength(3);
  });
});

describe('the SLA countdown', () => {
  it('formats minutes, hours and days', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_600_000 + 2 * 60_000 + 9_000)).toBe('1:02:09');
    expect(formatDuration(2 * 86_400_000 + 3_600_000)).toBe('2d 01:00:00');
  });

  it('counts down whole seconds, warns under five minutes, and shows how long it is overdue', () => {
    const due = (ms: number) => conv('c', { slaDueAt: new Date(NOW + ms).toISOString() });
    expect(slaCountdown(due(12 * 60_000), NOW)).toEqual({ text: '12:00', overdue: false, soon: false });
    expect(slaCountdown(due(4 * 60_000 + 500), NOW)).toEqual({ text: '4:01', overdue: false, soon: true });
    expect(slaCountdown(due(-90_000), NOW)).toEqual({ text: '−1:30', overdue: true, soon: false });
  });

  it('stops once someone picked it up, and is absent without an SLA', () => {
    const due = new Date(NOW + 60_000).toISOString();
    expect(
      slaCountdown(conv('c', { slaDueAt: due, state: 'open', pickedUpAt: '2026-05-04T09:10:00Z' }), NOW),
    ).toBeNull();
    expect(slaCountdown(conv('c'), NOW)).toBeNull();
    expect(slaCountdown(conv('c', { slaDueAt: due, state: 'assigned', agentId: 'ana' }), NOW)?.text).toBe(
      '1:00',
    );
  });
});

describe('delivery ticks', () => {
  const out = (status: string): TimelineItem => ({
    kind: 'outbound',
    id: 'm',
    at: '',
    text: 'hi',
    type: 'text',
    status,
    source: 'agent',
    error: null,
    author: null,
  });

  it('follow the message status: ✓ sent, ✓✓ delivered, blue ✓✓ read, ! failed', () => {
    expect(ticksOf(out('queued'))?.tone).toBe('pending');
    expect(ticksOf(out('sent'))).toMatchObject({ tone: 'sent', glyph: '✓' });
    expect(ticksOf(out('delivered'))).toMatchObject({ tone: 'delivered', glyph: '✓✓' });
    expect(ticksOf(out('read'))).toMatchObject({ tone: 'read', glyph: '✓✓' });
    expect(ticksOf(out('failed'))?.tone).toBe('failed');
    expect(ticksOf(out('refused'))?.tone).toBe('failed');
  });

  it('are only on messages the business sent', () => {
    expect(ticksOf({ kind: 'inbound', id: 'i', at: '', text: 'hola', type: 'text' })).toBeNull();
    expect(ticksOf({ kind: 'note', id: 'n', at: '', text: 'vip', author: null })).toBeNull();
  });
});

describe('the composer', () => {
  it('offers free text inside the 24-hour window and a template outside it; a note either way', () => {
    expect(composerMode(false, true)).toBe('text');
    expect(composerMode(false, false)).toBe('template');
    expect(composerMode(true, false)).toBe('note');
    expect(composerMode(true, true)).toBe('note');
  });

  it('closes the window when its time is up, by the clock, whatever the last answer said', () => {
    const until = (ms: number) => new Date(NOW + ms).toISOString();
    expect(windowOpen(until(60_000), false, NOW)).toBe(true);
    expect(windowOpen(until(0), true, NOW)).toBe(false);
    expect(windowOpen(until(-1), true, NOW)).toBe(false);
    // The customer never wrote.
    expect(windowOpen(null, true, NOW)).toBe(false);
    // Unknown last message: the server's word.
    expect(windowOpen(undefined, true, NOW)).toBe(true);
    expect(windowOpen(undefined, false, NOW)).toBe(false);
  });
});
