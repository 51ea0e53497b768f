/**
 * The inbox's pure logic: which conversations a view shows and in what order, the SLA countdown, the
 * ticks of a sent message, and what the composer offers. No React, no `t()`, no fetch: tested alone.
 */
import { type Tick, tickFor } from '../../panels/simulator/conversation';
import type { InboxConversation, TimelineItem } from './types';

export const PRIORITY_ORDER = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITY_ORDER)[number];

/** "All my teams" (every open conversation the caller may see) or "Assigned to me". */
export type InboxView = 'teams' | 'mine';

const rank = (priority: string) => {
  const i = (PRIORITY_ORDER as readonly string[]).indexOf(priority);
  return i < 0 ? PRIORITY_ORDER.length : i;
};

/**
 * The list as an agent works it: open conversations only, the most urgent first, and within a priority
 * the one waiting longest first (the oldest `openedAt`); ties by id, so the order never flickers.
 * `mine`: only those assigned to `agentId` (none when the caller works as no agent).
 */
export function inboxList(
  conversations: readonly InboxConversation[],
  view: InboxView,
  agentId: string | null,
): InboxConversation[] {
  return conversations
    .filter((c) => c.state !== 'closed')
    .filter((c) => view === 'teams' || (agentId !== null && c.agentId === agentId))
    .sort(
      (a, b) =>
        rank(a.priority) - rank(b.priority) ||
        Date.parse(a.openedAt) - Date.parse(b.openedAt) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

export interface SlaCountdown {
  /** `12:05`, `1:02:09`; with a leading minus once overdue. */
  text: string;
  /** The due time has passed. */
  overdue: boolean;
  /** Under five minutes left: shown in warning colours. */
  soon: boolean;
}

/** `m:ss` under an hour, `h:mm:ss` above, `Nd hh:mm:ss` above a day. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${two(hours)}:${two(minutes)}:${two(seconds)}`;
  if (hours > 0) return `${hours}:${two(minutes)}:${two(seconds)}`;
  return `${minutes}:${two(seconds)}`;
}

/**
 * Time left before the conversation escalates, or how long it is overdue. Null when it has no SLA, or
 * once someone picked it up (its SLA stopped) or closed it.
 */
export function slaCountdown(
  c: Pick<InboxConversation, 'slaDueAt' | 'pickedUpAt' | 'state'>,
  now: number,
): SlaCountdown | null {
  if (!c.slaDueAt || c.pickedUpAt || c.state === 'closed' || c.state === 'open') return null;
  const due = Date.parse(c.slaDueAt);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  // A countdown shows whole seconds left (rounded up), so "0:00" is the moment it falls due.
  const shown = left > 0 ? Math.ceil(left / 1000) * 1000 : left;
  return {
    text: left > 0 ? formatDuration(shown) : `−${formatDuration(shown)}`,
    overdue: left <= 0,
    soon: left > 0 && left < 5 * 60_000,
  };
}

/** The ticks of a message the business sent (inbound messages and notes have none). */
export function ticksOf(item: TimelineItem): Tick | null {
  return item.kind === 'outbound' ? tickFor(item.status) : null;
}

/**
 * Whether free text may be sent now: until the 24-hour window closes (`until`, from the server). Read
 * against the browser's clock so the composer switches when the window closes while the conversation
 * is on screen; null `until`: the customer never wrote. Without an `until`, the server's flag decides.
 */
export function windowOpen(until: string | null | undefined, serverSays: boolean, now: number): boolean {
  if (until === undefined) return serverSays;
  if (until === null) return false;
  const end = Date.parse(until);
  return Number.isNaN(end) ? serverSays : now < end;
}

/** What the composer offers: an internal note, free text, or (window closed) an approved template. */
export type ComposerMode = 'note' | 'text' | 'template';

export function composerMode(noteMode: boolean, windowIsOpen: boolean): ComposerMode {
  if (noteMode) return 'note';
  return windowIsOpen ? 'text' : 'template';
}
