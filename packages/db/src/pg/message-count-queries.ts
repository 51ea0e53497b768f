import { type SQL, sql } from 'drizzle-orm';
import type { DayBucket, StatusCountRow } from '../analytics-model.js';
import {
  countsByDay,
  DAY_MS,
  FOLD_BATCH,
  nullKeys,
  SLOT_MS,
  type Span,
  splitRange,
  type TimedCount,
} from '../message-count-model.js';
import type { PgSession } from './connection.js';

// ../message-count-queries.ts on Postgres. Each report reads the counts and the unfolded changes in one
// statement (one snapshot), so a fold committing meanwhile is seen entirely or not at all.

const at = (iso: string) => sql`${iso}::timestamptz`;
const SLOT = (t: string) => sql.raw(`date_bin('15 minutes', ${t}, timestamptz '2000-01-01 00:00:00+00')`);
const DAY = (t: string) => sql.raw(`date_trunc('day', ${t}, 'UTC')`);

function edgesWhere(edges: Span[]): SQL {
  if (!edges.length) return sql`false`;
  return sql.join(
    edges.map((e) => sql`(o.created_at >= ${at(e.from)} and o.created_at < ${at(e.to)})`),
    sql` or `,
  );
}

function counted(grain: 'flow' | 'template', body: Span | null): SQL {
  if (!body) return sql``;
  const key = grain === 'flow' ? sql`coalesce(r.flow_id, '')` : sql`c.template`;
  const only = grain === 'template' ? sql`and c.template is not null` : sql``;
  return sql`select key, status, n::bigint as n from message_counts
      where grain = ${grain} and at >= ${at(body.from)} and at < ${at(body.to)}
    union all
    select ${key}, c.status, c.delta::bigint from message_count_changes c left join runs r on r.id = c.run_id
      where c.created_at >= ${at(body.from)} and c.created_at < ${at(body.to)} ${only}
    union all `;
}

export class PgMessageCountQueries {
  constructor(private readonly db: PgSession) {}

  private async all<T>(query: SQL): Promise<T[]> {
    return (await this.db.execute(query)).rows as T[];
  }

  async days(buckets: DayBucket[], from: string, to: string): Promise<StatusCountRow[]> {
    const { body, edges } = splitRange(from, to, SLOT_MS);
    const counts = body
      ? sql`select (extract(epoch from t) * 1000)::float8 as t, status, sum(n)::float8 as n from (
            select at as t, status, n from message_counts
              where grain = 'slot' and at >= ${at(body.from)} and at < ${at(body.to)}
            union all
            select ${SLOT('created_at')}, status, delta from message_count_changes
              where created_at >= ${at(body.from)} and created_at < ${at(body.to)}) x
          group by t, status
          union all `
      : sql``;
    const rows = await this.all<TimedCount>(sql`${counts}
      select (extract(epoch from o.created_at) * 1000)::float8 as t, o.status as status, count(*)::float8 as n
      from outbox o where ${edgesWhere(edges)} group by o.created_at, o.status`);
    return countsByDay(buckets, rows);
  }

  async flows(from: string, to: string): Promise<Array<StatusCountRow & { flowName: string | null }>> {
    const { body, edges } = splitRange(from, to, DAY_MS);
    return nullKeys(
      await this.all(sql`select x.key as key, f.name as "flowName", x.status as status, sum(x.n)::float8 as n from (
          ${counted('flow', body)}
          select coalesce(r.flow_id, '') as key, o.status as status, 1::bigint as n
          from outbox o left join runs r on r.id = o.run_id where ${edgesWhere(edges)}
        ) x left join flows f on f.id = x.key
        group by x.key, f.name, x.status having sum(x.n) <> 0`),
    );
  }

  async templates(from: string, to: string): Promise<StatusCountRow[]> {
    const { body, edges } = splitRange(from, to, DAY_MS);
    return nullKeys(
      await this.all(sql`select x.key as key, x.status as status, sum(x.n)::float8 as n from (
          ${counted('template', body)}
          select coalesce(o.payload->>'name', '') as key, o.status as status, 1::bigint as n
          from outbox o where o.kind = 'template' and (${edgesWhere(edges)})
        ) x group by x.key, x.status having sum(x.n) <> 0`),
    );
  }

  /**
   * Folds up to FOLD_BATCH of the oldest changes into the counts in one statement: the rows it deletes
   * are exactly the rows it adds. One process folds at a time (a transaction-scoped advisory lock per
   * schema); another finding the lock taken folds nothing and returns 0.
   */
  async fold(): Promise<number> {
    const [row] = await this.all<{ moved: string }>(sql`with lock as (
        select pg_try_advisory_xact_lock(hashtext('switchboard:message_counts'), hashtext(current_schema())) as ok
      ), batch as (
        select id from message_count_changes where (select ok from lock) order by id limit ${FOLD_BATCH}
      ), moved as (
        delete from message_count_changes c using batch b where c.id = b.id
        returning c.created_at, c.run_id, c.template, c.status, c.delta
      ), added as (
        insert into message_counts (grain, at, key, status, n)
        select grain, at, key, status, sum(delta) from (
          select 'slot' as grain, ${SLOT('m.created_at')} as at, '' as key, m.status as status, m.delta as delta
          from moved m
          union all
          -- One index lookup per change (a join could hash the whole runs table on every fold).
          select 'flow', ${DAY('m.created_at')}, coalesce((select r.flow_id from runs r where r.id = m.run_id), ''),
            m.status, m.delta
          from moved m
          union all
          select 'template', ${DAY('m.created_at')}, m.template, m.status, m.delta from moved m where m.template is not null
        ) x group by grain, at, key, status
        on conflict (grain, at, key, status) do update set n = message_counts.n + excluded.n
        returning 1
      )
      select count(*) as moved from moved`);
    return Number(row?.moved ?? 0);
  }
}
