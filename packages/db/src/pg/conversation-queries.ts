import { and, eq, gt, inArray, lt, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Conversation, ConversationState } from '../conversation-repo.js';
import { CursorError } from '../run-queries.js';
import { conversations } from './schema.js';

// The Postgres side of ../conversation-repo.ts's helpers: row mapping, keyset cursors, byte-order
// sorting and the inbox condition other repositories (contacts, outbox) filter by.

export type ConversationRow = typeof conversations.$inferSelect;

/** Queue order: a higher rank is served first. Unknown priorities rank as normal. */
const PRIORITY_RANK: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
export const rankOf = (priority: string) => PRIORITY_RANK[priority] ?? 1;

/** `column` in byte order, as SQLite orders and compares text (ids are the keyset's tie-breaker). */
export const bytes = (column: SQLWrapper) => sql`${column} collate "C"`;

/**
 * A condition for another table's rows: the contact they name (`channel` and WhatsApp id columns) has
 * a conversation in one of these teams (Postgres twin of `inConversationsOf`).
 */
export function inConversationsOf(teamIds: readonly string[], channel: SQLWrapper, waId: SQLWrapper): SQL {
  if (!teamIds.length) return sql`false`;
  const c = conversations;
  return sql`exists (select 1 from ${c} where ${c.channel} = ${channel} and ${c.waId} = ${waId} and ${inArray(c.teamId, [...teamIds])})`;
}

export function toConversation(row: ConversationRow): Conversation {
  const { priorityRank: _rank, ...rest } = row;
  return { ...rest, state: row.state as ConversationState, skills: row.skills as string[] };
}

export type Cursor =
  | { recent: true; openedAt: string; id: string }
  | { recent: false; rank: number; openedAt: string; id: string };

/** Same encoding as the SQLite repository, so a cursor reads the same on both databases. */
export function encodeCursor(row: ConversationRow, recent: boolean): string {
  const parts = recent ? ['r', row.openedAt, row.id] : ['q', String(row.priorityRank), row.openedAt, row.id];
  return Buffer.from(parts.join('|')).toString('base64url');
}

export function decodeCursor(cursor: string, recent: boolean): Cursor {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const bad = () => new CursorError('cursor is not one this server returned for this list');
  // Postgres compares `opened_at` as a time, so a time it cannot parse would fail the query: refuse it here.
  const isTime = (value: string | undefined): value is string => !!value && !Number.isNaN(Date.parse(value));
  if (recent) {
    const [kind, openedAt, id] = parts;
    if (kind !== 'r' || !isTime(openedAt) || !id) throw bad();
    return { recent, openedAt, id };
  }
  const [kind, rank, openedAt, id] = parts;
  if (kind !== 'q' || !rank || !/^\d$/.test(rank) || !isTime(openedAt) || !id) throw bad();
  return { recent, rank: Number(rank), openedAt, id };
}

export function afterCursor(cursor: Cursor): SQL | undefined {
  const c = conversations;
  const idAfter = (op: '<' | '>') => sql`${bytes(c.id)} ${sql.raw(op)} ${cursor.id}`;
  if (cursor.recent)
    return or(lt(c.openedAt, cursor.openedAt), and(eq(c.openedAt, cursor.openedAt), idAfter('<')));
  return or(
    lt(c.priorityRank, cursor.rank),
    and(eq(c.priorityRank, cursor.rank), gt(c.openedAt, cursor.openedAt)),
    and(eq(c.priorityRank, cursor.rank), eq(c.openedAt, cursor.openedAt), idAfter('>')),
  );
}
