import type { RunStatus, RunSummary } from '@switchboard/flow-schema';
import { and, desc, eq, gte, lt, or } from 'drizzle-orm';
import type { Db } from './connection.js';
import { summary } from './run-store.js';
import { runs } from './schema.js';

export interface RunFilter {
  flowId?: string;
  status?: RunStatus;
  contactId?: string;
  /** Runs created at or after this time (ISO, UTC). */
  from?: string;
  /** Runs created before this time (ISO, UTC). */
  to?: string;
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

/** Read side for the executions list: newest first, keyset-paginated. */
export function listRuns(db: Db, filter: RunFilter): { items: RunSummary[]; nextCursor: string | null } {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const rows = db
    .select()
    .from(runs)
    .where(
      and(
        filter.flowId ? eq(runs.flowId, filter.flowId) : undefined,
        filter.status ? eq(runs.status, filter.status) : undefined,
        filter.contactId ? eq(runs.contactId, filter.contactId) : undefined,
        filter.from ? gte(runs.createdAt, filter.from) : undefined,
        filter.to ? lt(runs.createdAt, filter.to) : undefined,
        after
          ? or(
              lt(runs.createdAt, after.createdAt),
              and(eq(runs.createdAt, after.createdAt), lt(runs.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(summary);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last ? Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url') : null,
  };
}

export class CursorError extends Error {}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || !id) throw new CursorError('cursor is not one this server returned');
  return { createdAt, id };
}
