import { type SQL, sql } from 'drizzle-orm';
import {
  type AcceptedFailure,
  type AnalyticsQuery,
  CONSENT_COUNT_COLUMNS,
  type ConsentReport,
  type ConversationFacts,
  consentReport,
  type DayBucket,
  dayBuckets,
  type FlowsReport,
  flowsReport,
  type MessagingReport,
  messagingReport,
  RATE_LIMIT_CODES,
  type RoutingReport,
  RUN_COUNT_COLUMNS,
  type RunCountRow,
  rangeOf,
  readSampleBelow,
  routingReport,
  type StatusCountRow,
} from '../analytics-model.js';
import type { AnalyticsQueries } from '../analytics-queries.js';
import { readCount } from '../message-count-model.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { PgMessageCountQueries } from './message-count-queries.js';

// The analytics read model on Postgres: the statements of ../analytics-queries.ts in this dialect
// (`->>` for JSON fields, timestamptz arithmetic), handing the same rows to the same builders.

const raw = (text: string) => sql.raw(text);
const at = (iso: string) => sql`${iso}::timestamptz`;

function daysTable(buckets: DayBucket[]): SQL {
  const rows = buckets.map((b) => sql`(${b.day}::text, ${at(b.start)}, ${at(b.end)})`);
  return sql`with days(day, s, e) as (values ${sql.join(rows, sql`, `)})`;
}

const ERROR_CODE = raw(`(o.last_error->>'code')`);
const RATE_LIMITED = raw(`(${RATE_LIMIT_CODES.map((c) => `'${c}'`).join(', ')})`);
const RUN_COUNTS = raw(RUN_COUNT_COLUMNS);
const CONSENT_COUNTS = raw(CONSENT_COUNT_COLUMNS);
/** A time as epoch milliseconds (a JS number), whatever the driver does with timestamps. */
const ms = (column: string) => raw(`(extract(epoch from ${column}) * 1000)::float8`);

/** `AnalyticsQueries` on Postgres (see analytics-model.ts for what each figure counts). */
export class PgAnalyticsQueries implements AsyncOf<AnalyticsQueries> {
  private readonly counts: PgMessageCountQueries;

  /** `precounted: false`: every report from the messages themselves (see ../analytics-queries.ts). */
  constructor(
    private readonly db: PgSession,
    private readonly options: { precounted: boolean } = { precounted: true },
  ) {
    this.counts = new PgMessageCountQueries(db);
  }

  foldMessageCounts(): Promise<number> {
    return this.counts.fold();
  }

  private async all<T>(query: SQL): Promise<T[]> {
    return (await this.db.execute(query)).rows as T[];
  }

  private static messageFlow(flowId: string | undefined): SQL {
    return flowId ? sql`and o.run_id in (select id from runs where flow_id = ${flowId})` : sql``;
  }

  async messaging(query: AnalyticsQuery): Promise<MessagingReport> {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const flow = PgAnalyticsQueries.messageFlow(query.flowId);
    const inRange = sql`o.created_at >= ${at(from)} and o.created_at < ${at(to)} ${flow}`;
    // Without a flow filter the per-day, per-flow and per-template counts come from the pre-aggregated
    // counts (message-count-queries.ts); a flow's own report counts its messages one by one.
    const counted = this.options.precounted && !query.flowId;
    // The per-day rows first: they say how many messages were read, which sets the time-to-read sample.
    const days = counted
      ? await this.counts.days(buckets, from, to)
      : await this.all<StatusCountRow>(sql`${daysTable(buckets)} select d.day as key, o.status as status, count(*) as n
          from days d join outbox o on o.created_at >= d.s and o.created_at < d.e ${flow}
          group by d.day, o.status`);
    const [flows, templates, acceptedFailures, failures, times] = await Promise.all([
      counted
        ? this.counts.flows(from, to)
        : this.all<
            StatusCountRow & { flowName: string | null }
          >(sql`select r.flow_id as key, f.name as "flowName",
            x.status as status, sum(x.n) as n
          from (select o.run_id, o.status, count(*) as n from outbox o where ${inRange} group by o.run_id, o.status) x
          left join runs r on r.id = x.run_id left join flows f on f.id = r.flow_id
          group by r.flow_id, f.name, x.status`),
      counted
        ? this.counts.templates(from, to)
        : this.all<StatusCountRow>(sql`select o.payload->>'name' as key, o.status as status, count(*) as n
          from outbox o where o.kind = 'template' and ${inRange} group by 1, 2`),
      this.all<AcceptedFailure>(sql`select ${ms('o.created_at')} as "createdAt", r.flow_id as "flowId",
          case when o.kind = 'template' then o.payload->>'name' end as template
        from outbox o left join runs r on r.id = o.run_id
        where o.status = 'failed' and o.provider_message_id is not null and ${inRange}`),
      this.all<{ code: string | null; count: string }>(sql`select ${ERROR_CODE} as code, count(*) as count
        from outbox o where o.status = 'failed' and ${inRange} group by 1`),
      this.timesToRead(inRange, readCount(days)),
    ]);
    return messagingReport({
      buckets,
      days,
      flows,
      templates,
      acceptedFailures,
      failures,
      timesToReadMs: times,
    });
  }

  /** First read − first accepted, in ms, per read message of the range (or of its sample). */
  private async timesToRead(inRange: SQL, reads: number): Promise<Array<number | null>> {
    const read = sql`o.status in ('read', 'played') and ${inRange}`;
    const below = readSampleBelow(reads);
    const rows = await this.all<{ ms: number | null }>(sql`select (select round(extract(epoch from
          min(case when s.status in ('read', 'played') then s.at end)
          - min(case when s.status in ('accepted', 'sent') then s.at end)) * 1000)::float8
        from outbox_statuses s where s.outbox_id = o.id) as ms
      from outbox o where ${read} ${below ? sql`and right(o.id, 2) collate "C" < ${below}` : sql``}`);
    return rows.map((r) => r.ms);
  }

  async flows(query: AnalyticsQuery): Promise<FlowsReport> {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const runFlow = query.flowId ? sql`and r.flow_id = ${query.flowId}` : sql``;
    const runRange = sql`r.created_at >= ${at(from)} and r.created_at < ${at(to)} ${runFlow}`;
    const [days, flows, nodes, refusals] = await Promise.all([
      this.all<RunCountRow>(sql`${daysTable(buckets)} select d.day as key, ${RUN_COUNTS}
        from days d join runs r on r.created_at >= d.s and r.created_at < d.e ${runFlow}
        group by d.day`),
      this.all<RunCountRow & { flowName: string | null }>(sql`select r.flow_id as key,
          f.name as "flowName", ${RUN_COUNTS}
        from runs r left join flows f on f.id = r.flow_id
        where ${runRange} group by r.flow_id, f.name`),
      this.all<{
        flowId: string;
        flowName: string | null;
        nodeId: string;
        nodeType: string;
        failures: string;
      }>(
        sql`select r.flow_id as "flowId", f.name as "flowName", st.node_id as "nodeId",
            st.node_type as "nodeType", count(*) as failures
          from runs r
          join run_steps st on st.id = (
            select s.id from run_steps s where s.run_id = r.id and s.status = 'failed'
            order by s.seq desc, s.attempt desc limit 1)
          left join flows f on f.id = r.flow_id
          where r.status = 'failed' and ${runRange}
          group by r.flow_id, f.name, st.node_id, st.node_type`,
      ),
      this.all<{ reason: string | null; count: string }>(sql`select
          case when o.status = 'refused' then ${ERROR_CODE} else 'rate_limited' end as reason, count(*) as count
        from outbox o
        where (o.status = 'refused' or (o.status = 'failed' and ${ERROR_CODE} in ${RATE_LIMITED}))
          and o.created_at >= ${at(from)} and o.created_at < ${at(to)} ${PgAnalyticsQueries.messageFlow(query.flowId)}
        group by 1`),
    ]);
    return flowsReport({ buckets, days, flows, nodes, refusals });
  }

  async routing(query: AnalyticsQuery): Promise<RoutingReport> {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const flow = query.flowId ? sql`and c.flow_id = ${query.flowId}` : sql``;
    const [conversations, agents, assigned, holding] = await Promise.all([
      this.all<ConversationFacts>(sql`select c.team_id as "teamId", t.name as "teamName",
          ${ms('c.opened_at')} as "openedAt",
          ${ms(`(select min(ev.at) from conversation_events ev
            where ev.conversation_id = c.id and ev.kind = 'assigned')`)} as "firstAssignedAt",
          ${ms(`(select o.created_at from outbox o
            where o.recipient = c.wa_id and o.created_at >= c.opened_at
              and o.created_at <= coalesce(c.closed_at, 'infinity'::timestamptz)
              and o.channel = c.channel and o.run_id is null and o.status <> 'refused'
            order by o.created_at limit 1)`)} as "firstReplyAt",
          ${ms('c.picked_up_at')} as "pickedUpAt", ${ms('c.sla_due_at')} as "slaDueAt",
          ${ms('c.closed_at')} as "closedAt"
        from conversations c left join teams t on t.id = c.team_id
        where c.opened_at >= ${at(from)} and c.opened_at < ${at(to)} ${flow}`),
      this.all<{ agentId: string; agentName: string; capacity: number }>(
        sql`select id as "agentId", name as "agentName", capacity from agents`,
      ),
      this.all<{ agentId: string | null; n: string }>(sql`select ev.data->>'agent' as "agentId",
          count(distinct ev.conversation_id) as n
        from conversation_events ev join conversations c on c.id = ev.conversation_id
        where ev.kind = 'assigned' and ev.at >= ${at(from)} and ev.at < ${at(to)} ${flow}
        group by 1`),
      this.all<{ agentId: string | null; n: string }>(sql`select c.agent_id as "agentId", count(*) as n
        from conversations c where c.agent_id is not null and c.state <> 'closed' ${flow} group by c.agent_id`),
    ]);
    const now = query.now ?? new Date().toISOString();
    return routingReport({ buckets, now, conversations, agents, assigned, holding });
  }

  async consent(query: AnalyticsQuery): Promise<ConsentReport> {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const types = raw(`e.type in ('contact.opted_in', 'contact.opted_out')`);
    const [days, sources] = await Promise.all([
      this.all<{ key: string; optIns: string; optOuts: string }>(sql`${daysTable(buckets)}
        select d.day as key, ${CONSENT_COUNTS}
        from days d join inbound_events e on e.occurred_at >= d.s and e.occurred_at < d.e and ${types}
        group by d.day`),
      this.all<{ key: string | null; optIns: string; optOuts: string }>(sql`select
          e.normalized->>'source' as key, ${CONSENT_COUNTS}
        from inbound_events e where ${types} and e.occurred_at >= ${at(from)} and e.occurred_at < ${at(to)}
        group by 1`),
    ]);
    return consentReport({ buckets, days, sources });
  }
}
