import type { Repositories } from '@switchboard/db';
import { WINDOW_MS, windowOpen } from '@switchboard/whatsapp';
import type { Runtime } from '../runtime.js';

type Conversations = Repositories['conversations'];
type Query = Parameters<Conversations['timeline']>[0];
type Slice = Awaited<ReturnType<Conversations['timeline']>>;
type Key = NonNullable<Query['before']>;

/** History kinds not listed as entries: `replied` is shown on the message it names. */
const ON_MESSAGES = ['replied'];

/** The idempotency-key prefix of messages a person sent from the inbox: `agent:<userId>:<key>`. */
export const AGENT_KEY_PREFIX = 'agent:';

export class TimelineCursorError extends Error {}

export function encodeKey(key: Key): string {
  return Buffer.from(`${key.at}|${key.rank}|${key.id}`).toString('base64url');
}

export function decodeKey(cursor: string): Key {
  const [at, rank, ...id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const time = at ? Date.parse(at) : Number.NaN;
  if (
    Number.isNaN(time) ||
    new Date(time).toISOString() !== at ||
    (rank !== '0' && rank !== '1' && rank !== '2') ||
    !id.length
  )
    throw new TimelineCursorError('cursor is not one this server returned for this timeline');
  return { at: at!, rank: Number(rank) as Key['rank'], id: id.join('|') };
}

const compare = (a: Key, b: Key) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank !== b.rank ? a.rank - b.rank : compareIds(a, b);
const compareIds = (a: Key, b: Key) =>
  a.rank === 2 ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : Number(a.id) - Number(b.id);

/** Who sent an outgoing message: a flow (it has a run), a person in the inbox, or an API client. */
export function sourceOf(row: { runId: string | null; idempotencyKey: string }): {
  source: 'flow' | 'agent' | 'api';
  userId: string | null;
} {
  if (row.runId) return { source: 'flow', userId: null };
  if (row.idempotencyKey.startsWith(AGENT_KEY_PREFIX)) {
    const userId = row.idempotencyKey.slice(AGENT_KEY_PREFIX.length).split(':')[0] ?? '';
    return { source: 'agent', userId: userId || null };
  }
  return { source: 'api', userId: null };
}

/** A short text for lists: what the message says, or its kind in brackets. */
export function inboundPreview(message: { type: string; [k: string]: unknown }): string {
  const pick = (...fields: string[]) => {
    for (const f of fields) if (typeof message[f] === 'string' && message[f]) return message[f] as string;
    return null;
  };
  return clip(pick('text', 'title', 'caption', 'body') ?? `[${message.type}]`);
}

export function outboundPreview(payload: { type?: string; [k: string]: unknown }): string {
  const pick = (...fields: string[]) => {
    for (const f of fields) if (typeof payload[f] === 'string' && payload[f]) return payload[f] as string;
    return null;
  };
  if (payload.type === 'template') return clip(`[template ${String(payload.name ?? '')}]`);
  return clip(pick('text', 'body', 'caption') ?? `[${payload.type ?? 'message'}]`);
}

const clip = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/** Whether the contact's 24-hour window is open now, and until when (null: they never wrote). */
export function windowOf(lastInboundAt: string | null, now: Date) {
  return {
    open: windowOpen(lastInboundAt, now),
    until: lastInboundAt ? new Date(Date.parse(lastInboundAt) + WINDOW_MS).toISOString() : null,
  };
}

/**
 * One page of a contact's timeline on a channel, oldest first: their messages, messages to them (with
 * status history and who sent them) and their conversations' history (routing changes, notes). Without
 * a cursor: the newest `limit` entries; `before` pages back, `after` fetches what came since.
 */
export async function timelinePage(
  rt: Pick<Runtime, 'routing' | 'outbox' | 'database'>,
  args: {
    channel: string;
    waId: string;
    teamIds?: readonly string[];
    limit: number;
    before?: string;
    after?: string;
  },
) {
  const after = args.after ? decodeKey(args.after) : undefined;
  const before = !after && args.before ? decodeKey(args.before) : undefined;
  const slice: Slice = await rt.routing.conversations.timeline({
    channel: args.channel,
    waId: args.waId,
    ...(args.teamIds ? { teamIds: args.teamIds } : {}),
    ...(after ? { after } : {}),
    ...(before ? { before } : {}),
    limit: args.limit + 1,
    skipKinds: ON_MESSAGES,
  });
  type Entry = { key: Key; build: () => Promise<unknown> };
  const names = new Map<string, Promise<string | null>>();
  const nameOf = (userId: string) => {
    let name = names.get(userId);
    if (!name) {
      name = rt.database.repos.users.getUser(userId).then((u) => u?.name ?? null);
      names.set(userId, name);
    }
    return name;
  };
  const entries: Entry[] = [
    ...slice.inbound.map((e) => ({
      key: { at: e.receivedAt, rank: 0 as const, id: String(e.id) },
      build: async () => {
        const n = e.normalized as {
          messageId?: string;
          profileName?: string | null;
          message?: { type: string };
        };
        return {
          type: 'in' as const,
          at: e.receivedAt,
          sentAt: e.occurredAt,
          messageId: n.messageId ?? null,
          profileName: n.profileName ?? null,
          message: n.message ?? null,
          preview: n.message ? inboundPreview(n.message as never) : '',
        };
      },
    })),
    ...slice.history.map((h) => ({
      key: { at: h.at, rank: 1 as const, id: String(h.id) },
      build: async () => ({
        type: 'event' as const,
        at: h.at,
        conversationId: h.conversationId,
        kind: h.kind,
        data: h.data,
      }),
    })),
    ...slice.outbound.map((o) => ({
      key: { at: o.createdAt, rank: 2 as const, id: o.id },
      build: async () => {
        const { source, userId } = sourceOf(o);
        const statuses = await rt.outbox.statuses(o.id);
        return {
          type: 'out' as const,
          at: o.createdAt,
          id: o.id,
          kind: o.kind,
          status: o.status,
          source,
          by: userId ? { userId, name: await nameOf(userId) } : null,
          runId: o.runId,
          nodeId: o.nodeId,
          payload: o.payload,
          preview: outboundPreview(o.payload as never),
          error: o.lastError ?? null,
          statuses: statuses.map(({ status, at }) => ({ status, at })),
        };
      },
    })),
  ];
  const forward = !!after;
  entries.sort((a, b) => (forward ? compare(a.key, b.key) : compare(b.key, a.key)));
  const more = entries.length > args.limit;
  const page = entries.slice(0, args.limit);
  if (!forward) page.reverse();
  const items = await Promise.all(page.map((e) => e.build()));
  const first = page[0]?.key;
  const last = page.at(-1)?.key;
  return {
    items,
    /** Pass as `before` for older entries; null when there are none. */
    olderCursor: forward
      ? first
        ? encodeKey(first)
        : (args.after ?? null)
      : more && first
        ? encodeKey(first)
        : null,
    /** Pass as `after` for entries newer than this page (poll it, or refetch on a stream event). */
    newerCursor: last ? encodeKey(last) : forward ? (args.after ?? null) : null,
    /** With `after`: whether more entries than `limit` came since (fetch again with `newerCursor`). */
    hasNewer: forward && more,
  };
}
