import type { Db } from './connection.js';

export interface ScheduleRow {
  flowId: string;
  /** The trigger node that fires. */
  nodeId: string;
  /** The active version the next run starts on. */
  flowVersion: number;
  cron: string;
  timezone: string;
  missed: 'runOnce' | 'skip';
  /** ISO UTC; text order is time order. */
  nextFireAt: string;
  updatedAt: string;
}

const COLUMNS = `flow_id as flowId, node_id as nodeId, flow_version as flowVersion, cron, timezone, missed,
  next_fire_at as nextFireAt, updated_at as updatedAt`;

/**
 * The `flow_schedules` table over prepared statements (the schedule loop reads it every poll). Methods
 * are synchronous, so the server can call them inside the transaction that also creates the run.
 */
export class ScheduleRepository {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.s = prepare(db);
  }

  /** Creates or replaces the flow's row. */
  upsert(row: ScheduleRow): void {
    this.s.upsert.run(row);
  }

  get(flowId: string): ScheduleRow | undefined {
    return this.s.get.get(flowId);
  }

  list(): ScheduleRow[] {
    return this.s.list.all();
  }

  /** Deletes the flow's row (flow deactivated, deleted, or no longer scheduled); true if there was one. */
  remove(flowId: string): boolean {
    return this.s.remove.run(flowId).changes > 0;
  }

  /** Rows whose next time is at or before `now`, earliest first. */
  due(now: string, limit: number): ScheduleRow[] {
    return this.s.due.all(now, limit);
  }

  /** The earliest next time of any row, or null when nothing is scheduled (the loop may sleep until then). */
  earliest(): string | null {
    return this.s.earliest.get()?.at ?? null;
  }

  /**
   * Moves the flow's next time from `from` to `to`, only if it is still `from`: the claim on one
   * occurrence. Run it in the transaction that creates the occurrence's run; false means another
   * writer moved it first, and that transaction must create nothing.
   */
  advance(args: { flowId: string; from: string; to: string; at: string }): boolean {
    return this.s.advance.run(args).changes === 1;
  }
}

function prepare(db: Db) {
  const c = db.$client;
  return {
    upsert: c.prepare<[ScheduleRow]>(
      `insert into flow_schedules (flow_id, node_id, flow_version, cron, timezone, missed, next_fire_at, updated_at)
       values (@flowId, @nodeId, @flowVersion, @cron, @timezone, @missed, @nextFireAt, @updatedAt)
       on conflict (flow_id) do update set node_id = excluded.node_id, flow_version = excluded.flow_version,
         cron = excluded.cron, timezone = excluded.timezone, missed = excluded.missed,
         next_fire_at = excluded.next_fire_at, updated_at = excluded.updated_at`,
    ),
    get: c.prepare<[string], ScheduleRow>(`select ${COLUMNS} from flow_schedules where flow_id = ?`),
    list: c.prepare<[], ScheduleRow>(`select ${COLUMNS} from flow_schedules order by flow_id`),
    remove: c.prepare<[string]>('delete from flow_schedules where flow_id = ?'),
    due: c.prepare<[string, number], ScheduleRow>(
      `select ${COLUMNS} from flow_schedules where next_fire_at <= ? order by next_fire_at, flow_id limit ?`,
    ),
    earliest: c.prepare<[], { at: string | null }>('select min(next_fire_at) as at from flow_schedules'),
    advance: c.prepare<[{ flowId: string; from: string; to: string; at: string }]>(
      `update flow_schedules set next_fire_at = @to, updated_at = @at
       where flow_id = @flowId and next_fire_at = @from`,
    ),
  };
}
