/**
 * The contact's history as `GET /api/conversations/:id/messages` sends it (`type` in, out or event),
 * read into the rows the pane draws. Pure, so the mapping (which rows are the customer's, which a
 * flow's, which internal notes) is tested alone.
 */
import type { OutboundSource, TimelineItem } from './types';

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Raw | null => (v && typeof v === 'object' ? (v as Raw) : null);

function sourceOf(raw: Raw): OutboundSource {
  const s = raw.source;
  if (s === 'flow' || s === 'agent' || s === 'api') return s;
  return raw.runId ? 'flow' : 'api';
}

/** A failed send's error as the outbox keeps it (Meta's `code` and `title`, or our own `message`). */
function errorOf(raw: Raw): { code: string; title: string } | null {
  const e = obj(raw.error);
  if (!e) return null;
  const code = e.code ?? e.status;
  return {
    code: code === undefined || code === null ? '' : String(code),
    title: str(e.title) ?? str(e.message) ?? str(e.reason) ?? '',
  };
}

/** One history row: a message either way, an internal note, or a routing event. */
export function timelineItem(raw: Raw, index: number): TimelineItem {
  const at = str(raw.at) ?? '';
  const type = str(raw.type);
  if (type === 'in') {
    const message = obj(raw.message);
    return {
      kind: 'inbound',
      id: str(raw.messageId) ?? `in-${index}`,
      at,
      text: str(raw.preview) ?? '',
      type: str(message?.type) ?? 'text',
    };
  }
  if (type === 'out') {
    return {
      kind: 'outbound',
      id: str(raw.id) ?? `out-${index}`,
      at,
      text: str(raw.preview) ?? '',
      type: str(raw.kind) ?? 'text',
      status: str(raw.status) ?? 'queued',
      source: sourceOf(raw),
      error: errorOf(raw),
      author: str(obj(raw.by)?.name),
    };
  }
  const kind = str(raw.kind) ?? 'event';
  const data = obj(raw.data) ?? {};
  const id = `${str(raw.conversationId) ?? ''}:${at}:${kind}:${index}`;
  if (kind === 'note')
    return { kind: 'note', id, at, text: str(data.text) ?? '', author: str(obj(data.by)?.name) };
  return { kind: 'event', id, at, event: kind, data };
}

/** The history, in the server's order (oldest first). */
export function readTimeline(raw: unknown): TimelineItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is Raw => !!obj(r)).map(timelineItem);
}
