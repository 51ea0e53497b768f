import type { Db } from './connection.js';

export interface OpenWait {
  token: string;
  runId: string;
  wakeKey: string;
}

/**
 * Keyed waits not yet fired whose run is parked, with keys starting `prefix` (a range scan on the key
 * index), optionally of one run. Hosts use it to deliver keys for events that happened before the
 * wait was stored (a message read within milliseconds, a child run that already ended).
 */
export function openWaits(db: Db, args: { prefix: string; runId?: string }): OpenWait[] {
  // `+r.status` keeps SQLite off the runs status index (here and in openWaitFlows): driven by it, the
  // query read every parked run's row, snapshot included, to find the few with a matching key: 270 ms
  // and +66 MiB of page cache at 100,000 pending delays (docs/benchmarks.md). Driven by the wait-key
  // index it touches only the matches.
  const sql = `select w.token as token, w.run_id as runId, w.wake_key as wakeKey
     from run_waits w join runs r on r.id = w.run_id
     where w.wake_key >= ? and w.wake_key < ? and w.fired = 0 and +r.status = 'waiting'
     ${args.runId ? 'and w.run_id = ?' : ''}`;
  // '\uffff' sorts after every character a key can hold, so [prefix, prefix + '\uffff') is the prefix.
  const params = [args.prefix, `${args.prefix}\uffff`, ...(args.runId ? [args.runId] : [])];
  return prepared(db, sql).all(...params) as OpenWait[];
}

// Hosts call these after every parked or finished run: compile each statement once per connection.
type Statement = ReturnType<Db['$client']['prepare']> & { all(...params: unknown[]): unknown[] };
const statements = new WeakMap<Db, Map<string, Statement>>();

function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.$client.prepare<unknown[]>(sql) as Statement;
    cache.set(sql, statement);
  }
  return statement;
}

/**
 * Deliveries to `/hooks/<path>` received since `since` (ISO), oldest first, at most `limit` (the newest).
 * For a wait on a webhook: a delivery that arrived after the run started but before it parked counts.
 */
export function hooksSince(
  db: Db,
  args: { path: string; since: string; limit?: number },
): Array<{ body: unknown; query: unknown; receivedAt: string }> {
  const rows = db.$client
    .prepare<unknown[], { normalized: string; receivedAt: string }>(
      `select normalized, received_at as receivedAt from inbound_events
       where type = 'webhook.received' and received_at >= ? and json_extract(normalized, '$.path') = ?
       order by id desc limit ?`,
    )
    .all(args.since, args.path, args.limit ?? 5000);
  return rows.reverse().map((r) => {
    const event = JSON.parse(r.normalized) as { body?: unknown; query?: unknown };
    return { body: event.body ?? null, query: event.query ?? {}, receivedAt: r.receivedAt };
  });
}

/** The distinct flow versions of runs parked on keys starting `prefix` (e.g. every run waiting on a hook path). */
export function openWaitFlows(db: Db, prefix: string): Array<{ flowId: string; flowVersion: number }> {
  return db.$client
    .prepare<[string, string], { flowId: string; flowVersion: number }>(
      `select distinct r.flow_id as flowId, r.flow_version as flowVersion
       from run_waits w join runs r on r.id = w.run_id
       where w.wake_key >= ? and w.wake_key < ? and w.fired = 0 and +r.status = 'waiting'`,
    )
    .all(prefix, `${prefix}\uffff`);
}

/**
 * The distinct correlation fields open waits on `/hooks/<path>` use (keys `hook:<path>:<field>=<value>`),
 * so a delivery reads each field once and fires one exact key per field, however many runs wait.
 */
export function openHookFields(db: Db, path: string): string[] {
  const prefix = `hook:${path}:`;
  return db.$client
    .prepare<[number, number, string, string], { field: string }>(
      `select distinct substr(wake_key, ?, instr(substr(wake_key, ?), '=') - 1) as field
       from run_waits where wake_key >= ? and wake_key < ? and fired = 0`,
    )
    .all(prefix.length + 1, prefix.length + 1, prefix, `${prefix}\uffff`)
    .map((r) => r.field)
    .filter((f) => f.length > 0);
}

/**
 * Keys `run:<id>:finished` that parked runs wait on although run `<id>` has ended: one query, for a
 * periodic sweep (a run cancelled by hand or with its flow ends without the engine noticing).
 */
export function endedRunKeys(db: Db): string[] {
  // `+`: through the wait-key index, not the status index (see openWaits).
  return db.$client
    .prepare<[], { key: string }>(
      `select distinct w.wake_key as key from run_waits w
       join runs p on p.id = w.run_id
       join runs c on c.id = substr(w.wake_key, 5, length(w.wake_key) - 13)
       where w.wake_key >= 'run:' and w.wake_key < 'run;' and w.wake_key like '%:finished'
         and w.fired = 0 and +p.status = 'waiting' and +c.status in ('succeeded', 'failed', 'cancelled')`,
    )
    .all()
    .map((r) => r.key);
}
