import type { RunStatus, RunSummary, StepError } from '@switchboard/flow-schema';
import { and, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import { CursorError, type RunFilter } from '../run-queries.js';
import type { PgSession } from './connection.js';
import { runs } from './schema.js';

// `listRuns` on Postgres: same filters, order, page size and cursors (a cursor from either database
// reads the same); ids compare by their bytes, as in SQLite. Times compare as instants: `from`/`to`
// must be ISO times (the route validates them), and a cursor whose time does not parse is a
// `CursorError` here (SQLite would compare it as text).

/** Read side for the executions list: newest first, keyset-paginated. */
export async function pgListRuns(
  db: PgSession,
  filter: RunFilter,
): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const id = sql`${runs.id} collate "C"`;
  const rows = await db
    .select()
    .from(runs)
    .where(
      and(
        filter.flowId ? eq(runs.flowId, filter.flowId) : undefined,
        filter.status ? eq(runs.status, filter.status) : undefined,
        filter.contactId ? eq(runs.contactId, filter.contactId) : undefined,
        filter.from ? gte(runs.createdAt, new Date(filter.from)) : undefined,
        filter.to ? lt(runs.createdAt, new Date(filter.to)) : undefined,
        after
          ? or(
              lt(runs.createdAt, after.createdAt),
              and(eq(runs.createdAt, after.createdAt), sql`${id} < ${after.id}`),
            )
          : undefined,
      ),
    )
    .orderBy(desc(runs.createdAt), sql`${id} desc`)
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toSummary);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const at = createdAt ? new Date(createdAt) : undefined;
  if (!at || Number.isNaN(at.getTime()) || !id)
    throw new CursorError('cursor is not one this server returned');
  return { createdAt: at, id };
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

function toSummary(row: typeof runs.$inferSelect): RunSummary {
  return {
    id: row.id,
    flowId: row.flowId,
    flowVersion: row.flowVersion,
    status: row.status as RunStatus,
    triggerNodeId: row.triggerNodeId,
    contactId: row.contactId,
    error: (row.error as StepError | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    wakeAt: iso(row.wakeAt),
  };
}
