import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { AsyncOf } from '../ports.js';
import type { ScheduleRepository, ScheduleRow } from '../schedule-repo.js';
import type { PgSession } from './connection.js';
import { flowSchedules } from './schema.js';

// Same behaviour as the SQLite repository. To join the transaction that creates an occurrence's run,
// construct it on that transaction (`new PgScheduleRepository(tx)`); `advance` is a conditional update,
// so of several processes moving the same occurrence exactly one sees `true`.

/** The pool, or a transaction the caller opened on it. */

const columns = {
  flowId: flowSchedules.flowId,
  nodeId: flowSchedules.nodeId,
  flowVersion: flowSchedules.flowVersion,
  cron: flowSchedules.cron,
  timezone: flowSchedules.timezone,
  missed: flowSchedules.missed,
  nextFireAt: flowSchedules.nextFireAt,
  updatedAt: flowSchedules.updatedAt,
};

export class PgScheduleRepository implements AsyncOf<ScheduleRepository> {
  constructor(private readonly db: PgSession) {}

  /** Creates or replaces the flow's row. */
  async upsert(row: ScheduleRow): Promise<void> {
    const { flowId: _, ...rest } = row;
    await this.db
      .insert(flowSchedules)
      .values(row)
      .onConflictDoUpdate({ target: flowSchedules.flowId, set: rest });
  }

  async get(flowId: string): Promise<ScheduleRow | undefined> {
    const [row] = await this.db.select(columns).from(flowSchedules).where(eq(flowSchedules.flowId, flowId));
    return row ? asRow(row) : undefined;
  }

  async list(): Promise<ScheduleRow[]> {
    const rows = await this.db.select(columns).from(flowSchedules).orderBy(byteOrder(flowSchedules.flowId));
    return rows.map(asRow);
  }

  /** Deletes the flow's row; true if there was one. */
  async remove(flowId: string): Promise<boolean> {
    const gone = await this.db
      .delete(flowSchedules)
      .where(eq(flowSchedules.flowId, flowId))
      .returning({ flowId: flowSchedules.flowId });
    return gone.length > 0;
  }

  /** Rows whose next time is at or before `now`, earliest first. */
  async due(now: string, limit: number): Promise<ScheduleRow[]> {
    const rows = await this.db
      .select(columns)
      .from(flowSchedules)
      .where(lte(flowSchedules.nextFireAt, now))
      .orderBy(asc(flowSchedules.nextFireAt), byteOrder(flowSchedules.flowId))
      .limit(limit);
    return rows.map(asRow);
  }

  /** The earliest next time of any row, or null when nothing is scheduled. */
  async earliest(): Promise<string | null> {
    const [row] = await this.db
      .select({ at: sql<string | null>`min(${flowSchedules.nextFireAt})`.mapWith(flowSchedules.nextFireAt) })
      .from(flowSchedules);
    return row?.at ?? null;
  }

  /**
   * Moves the flow's next time from `from` to `to`, only if it is still `from`: the claim on one
   * occurrence. A concurrent mover waits for this row's lock, then re-checks `from` and finds it moved.
   */
  async advance(args: { flowId: string; from: string; to: string; at: string }): Promise<boolean> {
    const moved = await this.db
      .update(flowSchedules)
      .set({ nextFireAt: args.to, updatedAt: args.at })
      .where(and(eq(flowSchedules.flowId, args.flowId), eq(flowSchedules.nextFireAt, args.from)))
      .returning({ flowId: flowSchedules.flowId });
    return moved.length === 1;
  }
}

/** SQLite orders text by its bytes; "C" does the same whatever the database's collation. */
const byteOrder = (column: typeof flowSchedules.flowId) => sql`${column} collate "C"`;

function asRow(row: Omit<ScheduleRow, 'missed'> & { missed: string }): ScheduleRow {
  return { ...row, missed: row.missed as ScheduleRow['missed'] };
}
