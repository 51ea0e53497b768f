import { sql } from 'drizzle-orm';
import type { OpenWait } from '../wait-queries.js';
import type { PgSession } from './connection.js';

// The queries of ../wait-queries.ts on Postgres, same arguments and results. Key ranges compare
// `collate "C"` (bytes, as SQLite does): under a linguistic collation `:` and `=` are ignored at first
// level and [prefix, prefix + '\uffff') would not be the keys starting with prefix. Rows come in key
// order, which SQLite gives by walking the key index. Postgres uses run_waits_key_idx for these
// ranges only if that index (i.e. the wake_key column) has collation "C"; otherwise they scan run_waits.

/** Keyed waits not yet fired whose run is parked, with keys starting `prefix`, optionally of one run. */
export async function pgOpenWaits(
  db: PgSession,
  args: { prefix: string; runId?: string },
): Promise<OpenWait[]> {
  const { rows } = await db.execute<{ token: string; runId: string; wakeKey: string }>(sql`
    select w.token as "token", w.run_id as "runId", w.wake_key as "wakeKey"
    from run_waits w join runs r on r.id = w.run_id
    where ${keyRange(sql`w.wake_key`, args.prefix)} and not w.fired and r.status = 'waiting'
      ${args.runId ? sql`and w.run_id = ${args.runId}` : sql``}
    order by w.wake_key collate "C", w.token collate "C"`);
  return rows.map((r) => ({ token: r.token, runId: r.runId, wakeKey: r.wakeKey }));
}

/**
 * Deliveries to `/hooks/<path>` received since `since` (ISO), oldest first, at most `limit` (the newest).
 */
export async function pgHooksSince(
  db: PgSession,
  args: { path: string; since: string; limit?: number },
): Promise<Array<{ body: unknown; query: unknown; receivedAt: string }>> {
  const { rows } = await db.execute<{ normalized: unknown; receivedAt: Date | string }>(sql`
    select normalized, received_at as "receivedAt" from inbound_events
    where type = 'webhook.received' and received_at >= ${args.since} and normalized->>'path' = ${args.path}
    order by id desc limit ${args.limit ?? 5000}`);
  return rows.reverse().map((r) => {
    const event = (typeof r.normalized === 'string' ? JSON.parse(r.normalized) : r.normalized) as {
      body?: unknown;
      query?: unknown;
    };
    return { body: event.body ?? null, query: event.query ?? {}, receivedAt: isoText(r.receivedAt) };
  });
}

/** The distinct flow versions of runs parked on keys starting `prefix`. */
export async function pgOpenWaitFlows(
  db: PgSession,
  prefix: string,
): Promise<Array<{ flowId: string; flowVersion: number }>> {
  const { rows } = await db.execute<{ flowId: string; flowVersion: number }>(sql`
    select distinct r.flow_id collate "C" as "flowId", r.flow_version as "flowVersion"
    from run_waits w join runs r on r.id = w.run_id
    where ${keyRange(sql`w.wake_key`, prefix)} and not w.fired and r.status = 'waiting'
    order by 1, 2`);
  return rows.map((r) => ({ flowId: r.flowId, flowVersion: r.flowVersion }));
}

/** The distinct correlation fields open waits on `/hooks/<path>` use (keys `hook:<path>:<field>=<value>`). */
export async function pgOpenHookFields(db: PgSession, path: string): Promise<string[]> {
  const prefix = `hook:${path}:`;
  const start = prefix.length + 1;
  // SQLite's substr with length -1 (a key with no `=`) yields the one character before `start`;
  // Postgres rejects negative lengths, so that case is spelled out to give the same field.
  const { rows } = await db.execute<{ field: string }>(sql`
    select distinct case when strpos(substr(wake_key, ${start}::int), '=') = 0
        then substr(wake_key, ${start - 1}::int, 1)
        else substr(wake_key, ${start}::int, strpos(substr(wake_key, ${start}::int), '=') - 1) end as "field"
    from run_waits where ${keyRange(sql`wake_key`, prefix)} and not fired`);
  return rows.map((r) => r.field).filter((f) => f.length > 0);
}

/** Keys `run:<id>:finished` that parked runs wait on although run `<id>` has ended. */
export async function pgEndedRunKeys(db: PgSession): Promise<string[]> {
  // `ilike`: SQLite's `like` ignores ASCII case.
  const { rows } = await db.execute<{ key: string }>(sql`
    select distinct w.wake_key collate "C" as "key" from run_waits w
    join runs p on p.id = w.run_id
    join runs c on c.id = substr(w.wake_key, 5, length(w.wake_key) - 13)
    where w.wake_key collate "C" >= 'run:' and w.wake_key collate "C" < 'run;'
      and w.wake_key ilike '%:finished' and not w.fired and p.status = 'waiting'
      and c.status in ('succeeded', 'failed', 'cancelled')
    order by 1`);
  return rows.map((r) => r.key);
}

/** `column` starts with `prefix`, as SQLite's [prefix, prefix + '\uffff') byte range says it. */
function keyRange(column: ReturnType<typeof sql>, prefix: string) {
  return sql`${column} collate "C" >= ${prefix} and ${column} collate "C" < ${`${prefix}\uffff`}`;
}

const isoText = (at: Date | string) => (at instanceof Date ? at : new Date(at)).toISOString();
