import { describe, expect, it } from 'vitest';
import { buildTimeline, mergeMessages, messagesChanged, tickFor } from './conversation';
import type { ChatMessage } from './types';

const msg = (id: string, at: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  direction: 'out',
  at: `2026-01-01T00:00:0${at}.000Z`,
  type: 'text',
  text: id,
  status: 'sent',
  ...extra,
});

describe('mergeMessages', () => {
  it('adds new messages in time order and replaces those whose status changed', () => {
    const shown = [msg('a', '1', { direction: 'in', status: 'received' }), msg('b', '2')];
    const merged = mergeMessages(shown, [msg('b', '2', { status: 'read' }), msg('c', '3')]);
    expect(merged.map((m) => `${m.id}:${m.status}`)).toEqual(['a:received', 'b:read', 'c:sent']);
  });

  it('puts a late-arriving older message in its place; same-time messages keep arrival order', () => {
    const merged = mergeMessages([msg('b', '2'), msg('c', '2')], [msg('a', '1')]);
    expect(merged.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('returns the same list when nothing new came (no re-render)', () => {
    const shown = [msg('a', '1')];
    expect(mergeMessages(shown, [])).toBe(shown);
  });

  it('leaves read receipts out of the chat', () => {
    expect(mergeMessages([], [msg('r', '1', { type: 'markRead' })])).toEqual([]);
  });
});

describe('messagesChanged', () => {
  it('is true for a new message or a status change, false for a repeat', () => {
    const shown = [msg('a', '1')];
    expect(messagesChanged(shown, [msg('a', '1')])).toBe(false);
    expect(messagesChanged(shown, [msg('a', '1', { status: 'delivered' })])).toBe(true);
    expect(messagesChanged(shown, [msg('b', '2')])).toBe(true);
    expect(messagesChanged(shown, [])).toBe(false);
  });
});

describe('tickFor', () => {
  it.each([
    ['queued', 'pending', '◷'],
    ['sent', 'sent', '✓'],
    ['accepted', 'sent', '✓'],
    ['delivered', 'delivered', '✓✓'],
    ['read', 'read', '✓✓'],
    ['failed', 'failed', '!'],
    ['refused', 'failed', '!'],
    ['something-new', 'pending', '◷'],
  ])('%s → %s %s', (status, tone, glyph) => {
    expect(tickFor(status)).toMatchObject({ tone, glyph });
  });
});

describe('buildTimeline', () => {
  it('interleaves bubbles and system lines by time, bubble first on a tie', () => {
    const items = buildTimeline(
      [msg('hi', '1', { direction: 'in' }), msg('menu', '3')],
      [
        { key: 'k', at: '2026-01-01T00:00:02.000Z' },
        { key: 'same', at: '2026-01-01T00:00:01.000Z' },
      ],
    );
    expect(items.map((i) => i.key)).toEqual(['m:hi', 'l:same', 'l:k', 'm:menu']);
  });
});
