import { and, asc, eq, isNull, lte, or } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './connection.js';

// A leased retry queue: rows are `pending` until due, then taken by a worker under a claim that lapses
// (the row is `working`, e.g. `delivering` or `syncing`) so that a worker that dies mid-attempt loses
// it to another. Subscription deliveries and CRM timeline sync records are two such queues; the claim
// is the same for both, in each dialect (Postgres: pg/leased-queue.ts).

// biome-ignore lint/suspicious/noExplicitAny: a queue table of either dialect, by its column names
type DueColumns = Record<'status' | 'nextAttemptAt' | 'claimExpiresAt', any>;

/** Due: pending and its time came, or `working` under a claim that lapsed (its worker died). */
export function leaseDueCondition(t: DueColumns, working: string, now: string) {
  return or(
    and(eq(t.status, 'pending'), or(isNull(t.nextAttemptAt), lte(t.nextAttemptAt, now))),
    and(eq(t.status, working), lte(t.claimExpiresAt, now)),
  );
}

/** The columns a claim sets: working until `now + leaseMs`, one attempt more, the retry window begun. */
export function claimValues(
  row: { attempts: number; firstAttemptAt: string | null },
  working: string,
  now: string,
  leaseMs: number,
) {
  return {
    status: working,
    attempts: row.attempts + 1,
    claimExpiresAt: new Date(Date.parse(now) + leaseMs).toISOString(),
    firstAttemptAt: row.firstAttemptAt ?? now,
  };
}

export interface QueueRow {
  id: string;
  attempts: number;
  firstAttemptAt: string | null;
}

type QueueTable = SQLiteTable &
  Record<'id' | 'status' | 'nextAttemptAt' | 'claimExpiresAt' | 'createdAt', SQLiteColumn>;

/**
 * Takes up to `limit` due rows, oldest first (by `createdAt`, then id), and claims them, in one
 * immediate transaction: SQLite has one writer, so two workers never take the same row.
 */
export function claimDueRows<Row extends QueueRow>(
  db: Db,
  table: QueueTable,
  working: string,
  now: string,
  limit: number,
  leaseMs: number,
): Row[] {
  if (limit <= 0) return [];
  return db.transaction(
    (tx) => {
      const rows = tx
        .select()
        .from(table)
        .where(leaseDueCondition(table, working, now))
        .orderBy(asc(table.createdAt), asc(table.id))
        .limit(limit)
        .all() as Row[];
      return rows.map(
        (r) =>
          tx
            .update(table)
            .set(claimValues(r, working, now, leaseMs))
            .where(eq(table.id, r.id))
            .returning()
            .get() as Row,
      );
    },
    { behavior: 'immediate' },
  );
}
