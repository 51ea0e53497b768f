// The leased retry queue's claim on Postgres (see ../leased-queue.ts): the same rows and columns as on
// SQLite, but the claim locks the rows it takes (`for update skip locked`), so workers of several
// processes never take the same row.
import { asc, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { claimValues, leaseDueCondition, type QueueRow } from '../leased-queue.js';
import type { PgSession } from './connection.js';

type QueueTable = PgTable &
  Record<'id' | 'status' | 'nextAttemptAt' | 'claimExpiresAt' | 'createdAt', PgColumn>;

/** Takes up to `limit` due rows, oldest first (by `createdAt`, then id), and claims them. */
export async function claimDueRows<Row extends QueueRow>(
  db: PgSession,
  table: QueueTable,
  working: string,
  now: string,
  limit: number,
  leaseMs: number,
): Promise<Row[]> {
  if (limit <= 0) return [];
  return db.transaction(async (tx) => {
    const rows = (await tx
      .select()
      .from(table)
      .where(leaseDueCondition(table, working, now))
      .orderBy(asc(table.createdAt), asc(table.id))
      .limit(limit)
      .for('update', { skipLocked: true })) as Row[];
    const claimed: Row[] = [];
    for (const r of rows) {
      const [row] = (await tx
        .update(table)
        .set(claimValues(r, working, now, leaseMs))
        .where(eq(table.id, r.id))
        .returning()) as Row[];
      claimed.push(row!);
    }
    return claimed;
  });
}
