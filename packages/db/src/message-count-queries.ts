import type { DayBucket, StatusCountRow } from './analytics-model.js';
import type { Db } from './connection.js';
import {
  countsByDay,
  DAY_MS,
  FOLD_BATCH,
  nullKeys,
  SLOT_MS,
  type Span,
  splitRange,
  type TimedCount,
} from './message-count-model.js';

// The messaging report's counts on SQLite (see schema-message-counts.ts and message-count-model.ts):
// whole slots and days from `message_counts` plus the unfolded changes, in one statement so a fold
// running meanwhile cannot make a count appear twice or not at all; the edges from `outbox`.

type Params = Array<string | number>;

/** The 15-minute slot an ISO time falls in, as ISO text. */
const slotOf = (t: string) =>
  `substr(${t}, 1, 14) || case when substr(${t}, 15, 2) < '15' then '00' when substr(${t}, 15, 2) < '30' then '15'
     when substr(${t}, 15, 2) < '45' then '30' else '45' end || ':00.000Z'`;
/** The UTC day an ISO time falls in, as ISO text. */
const dayOf = (t: string) => `substr(${t}, 1, 10) || 'T00:00:00.000Z'`;

/** `(o.created_at in edge 1) or (… edge 2)`, or a condition nothing meets when there are none. */
function edgesWhere(edges: Span[]): { sql: string; params: Params } {
  if (!edges.length) return { sql: '0', params: [] };
  return {
    sql: edges.map(() => '(o.created_at >= ? and o.created_at < ?)').join(' or '),
    params: edges.flatMap((e) => [e.from, e.to]),
  };
}

/** The grain's counts and unfolded changes of the body, as `(key, status, n)` rows. */
function counted(grain: 'flow' | 'template', body: Span | null): { sql: string; params: Params } {
  if (!body) return { sql: '', params: [] };
  const key = grain === 'flow' ? `coalesce(r.flow_id, '')` : 'c.template';
  const only = grain === 'template' ? 'and c.template is not null' : '';
  return {
    sql: `select key, status, n from message_counts where grain = ? and at >= ? and at < ?
          union all
          select ${key}, c.status, c.delta from message_count_changes c left join runs r on r.id = c.run_id
          where c.created_at >= ? and c.created_at < ? ${only}
          union all`,
    params: [grain, body.from, body.to, body.from, body.to],
  };
}

export class MessageCountQueries {
  constructor(private readonly db: Db) {}

  private all<T>(sql: string, params: Params): T[] {
    return this.db.$client.prepare(sql).all(...params) as T[];
  }

  /** Messages by local day and status over the range (no flow filter). */
  days(buckets: DayBucket[], from: string, to: string): StatusCountRow[] {
    const { body, edges } = splitRange(from, to, SLOT_MS);
    const edge = edgesWhere(edges);
    const rows = this.all<TimedCount>(
      `${
        body
          ? `select t, status, sum(n) as n from (
               select at as t, status, n from message_counts where grain = 'slot' and at >= ? and at < ?
               union all
               select ${slotOf('created_at')}, status, delta from message_count_changes
               where created_at >= ? and created_at < ?)
             group by t, status
             union all`
          : ''
      }
       select o.created_at as t, o.status as status, count(*) as n from outbox o where ${edge.sql}
       group by o.created_at, o.status`,
      [...(body ? [body.from, body.to, body.from, body.to] : []), ...edge.params],
    );
    return countsByDay(buckets, rows);
  }

  /** Messages by the flow whose run sent them ('' → null: sent by no flow) and status. */
  flows(from: string, to: string): Array<StatusCountRow & { flowName: string | null }> {
    const { body, edges } = splitRange(from, to, DAY_MS);
    const part = counted('flow', body);
    const edge = edgesWhere(edges);
    return nullKeys(
      this.all(
        `select x.key as key, f.name as flowName, x.status as status, sum(x.n) as n from (
           ${part.sql}
           select coalesce(r.flow_id, '') as key, o.status as status, 1 as n
           from outbox o left join runs r on r.id = o.run_id where ${edge.sql}
         ) x left join flows f on f.id = x.key
         group by x.key, f.name, x.status having sum(x.n) <> 0`,
        [...part.params, ...edge.params],
      ),
    );
  }

  /** Template messages by template name and status. */
  templates(from: string, to: string): StatusCountRow[] {
    const { body, edges } = splitRange(from, to, DAY_MS);
    const part = counted('template', body);
    const edge = edgesWhere(edges);
    return nullKeys(
      this.all(
        `select x.key as key, x.status as status, sum(x.n) as n from (
           ${part.sql}
           select coalesce(json_extract(o.payload, '$.name'), '') as key, o.status as status, 1 as n
           from outbox o where o.kind = 'template' and (${edge.sql})
         ) x group by x.key, x.status having sum(x.n) <> 0`,
        [...part.params, ...edge.params],
      ),
    );
  }

  /**
   * Adds up to FOLD_BATCH of the oldest changes into the counts and deletes them, in one transaction.
   * Returns how many it folded (0: nothing was waiting).
   */
  fold(): number {
    const client = this.db.$client;
    return client.transaction(() => {
      const range = client
        .prepare('select max(id) as hi from (select id from message_count_changes order by id limit ?)')
        .get(FOLD_BATCH) as { hi: number | null };
      if (range.hi === null) return 0;
      client
        .prepare(
          `insert into message_counts (grain, at, key, status, n)
           select grain, at, key, status, sum(delta) from (
             select 'slot' as grain, ${slotOf('c.created_at')} as at, '' as key, c.status as status, c.delta as delta
             from message_count_changes c where c.id <= ?
             union all
             select 'flow', ${dayOf('c.created_at')}, coalesce(r.flow_id, ''), c.status, c.delta
             from message_count_changes c left join runs r on r.id = c.run_id where c.id <= ?
             union all
             select 'template', ${dayOf('c.created_at')}, c.template, c.status, c.delta
             from message_count_changes c where c.id <= ? and c.template is not null
           ) where true group by grain, at, key, status
           on conflict (grain, at, key, status) do update set n = n + excluded.n`,
        )
        .run(range.hi, range.hi, range.hi);
      return client.prepare('delete from message_count_changes where id <= ?').run(range.hi).changes;
    })();
  }
}
