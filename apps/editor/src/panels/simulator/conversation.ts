import type { ChatMessage } from './types';

/**
 * Folds a poll's messages into the chat shown so far. A poll with `after` holds only messages that are
 * new or whose status changed since, so a message seen before is replaced (its ticks move on), new ones
 * are added, and the chat stays in time order (ties keep arrival order).
 */
export function mergeMessages(
  shown: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  if (incoming.length === 0) return shown as ChatMessage[];
  const byId = new Map(shown.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()]
    .filter((m) => m.type !== 'markRead') // a read receipt shows as blue ticks on the message it read
    .map((m, i) => ({ m, i }))
    .sort((a, b) => Date.parse(a.m.at) - Date.parse(b.m.at) || a.i - b.i)
    .map(({ m }) => m);
}

/** Whether a poll brought anything new (a message, or a status or error change); idle polls slow down. */
export function messagesChanged(shown: readonly ChatMessage[], incoming: readonly ChatMessage[]): boolean {
  const byId = new Map(shown.map((m) => [m.id, m]));
  return incoming.some((m) => {
    const seen = byId.get(m.id);
    return !seen || seen.status !== m.status || (seen.error?.code ?? null) !== (m.error?.code ?? null);
  });
}

export type TickTone = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Tick {
  tone: TickTone;
  /** What the bubble shows: ◷, ✓, ✓✓ (grey or blue) or a red !. */
  glyph: string;
  /** The i18n key of its tooltip. */
  labelKey: string;
}

/** WhatsApp's delivery ticks for a message status (outbox statuses and the customer's read receipts). */
export function tickFor(status: string): Tick {
  switch (status) {
    case 'queued':
    case 'sending':
      return { tone: 'pending', glyph: '◷', labelKey: 'sim.tick.pending' };
    case 'accepted':
    case 'sent':
    case 'received':
      return { tone: 'sent', glyph: '✓', labelKey: 'sim.tick.sent' };
    case 'delivered':
      return { tone: 'delivered', glyph: '✓✓', labelKey: 'sim.tick.delivered' };
    case 'read':
    case 'played':
      return { tone: 'read', glyph: '✓✓', labelKey: 'sim.tick.read' };
    case 'failed':
    case 'refused':
      return {
        tone: 'failed',
        glyph: '!',
        labelKey: status === 'refused' ? 'sim.tick.refused' : 'sim.tick.failed',
      };
    default:
      return { tone: 'pending', glyph: '◷', labelKey: 'sim.tick.pending' };
  }
}

/** One row of the chat: a bubble, or a system line about what the flow did. */
export type ChatItem<Line extends { key: string; at: string }> =
  | { kind: 'message'; key: string; at: string; message: ChatMessage }
  | { kind: 'line'; key: string; at: string; line: Line };

/** Bubbles and system lines in time order; at the same instant a bubble comes first (it caused the step). */
export function buildTimeline<Line extends { key: string; at: string }>(
  messages: readonly ChatMessage[],
  lines: readonly Line[],
): ChatItem<Line>[] {
  const items: ChatItem<Line>[] = [
    ...messages.map((message) => ({
      kind: 'message' as const,
      key: `m:${message.id}`,
      at: message.at,
      message,
    })),
    ...lines.map((line) => ({ kind: 'line' as const, key: `l:${line.key}`, at: line.at, line })),
  ];
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => Date.parse(a.item.at) - Date.parse(b.item.at) || a.i - b.i)
    .map(({ item }) => item);
}
