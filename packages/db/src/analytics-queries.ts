import {
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
} from './analytics-model.js';
import type { Db } from './connection.js';
import { readCount } from './message-count-model.js';
import { MessageCountQueries } from './message-count-queries.js';

// The analytics read model on SQLite. What each figure counts is defined in analytics-model.ts; the
// Postgres twin (pg/analytics-queries.ts) runs the same statements in its dialect. Stored times are
// ISO UTC strings, so ranges compare as text and use the indexes on the time columns.

type Params = Array<string | number | null>;

/** `with days(day, s, e) as (values …)`: the local days as a table the per-day counts join. */
function daysTable(buckets: DayBucket[]): { sql: string; params: Params } {
  return {
    sql: `with days(day, s, e) as (values ${buckets.map(() => '(?, ?, ?)').join(', ')})`,
    params: buckets.flatMap((b) => [b.day, b.start, b.end]),
  };
}

/** The failed message's error code as text: Meta's numeric codes and our own string codes alike. */
const ERROR_CODE = `cast(json_extract(o.last_error, '$.code') as text)`;
const RATE_LIMITED = `(${RATE_LIMIT_CODES.map((c) => `'${c}'`).join(', ')})`;

/** Analytics over messages, runs, conversations and consent (see analytics-model.ts). */
export class AnalyticsQueries {
  private readonly counts: MessageCountQueries;

  /**
   * `precounted: false` counts every report from the messages themselves, as a flow's own report is:
   * the reference the pre-aggregated counts are tested against.
   */
  constructor(
    private readonly db: Db,
    private readonly options: { precounted: boolean } = { precounted: true },
  ) {
    this.counts = new MessageCountQueries(db);
  }

  /**
   * Adds a batch of the message-count changes the outbox triggers wrote into the counts the messaging
   * report reads (schema-message-counts.ts); returns how many it folded, 0 when none was waiting.
   */
  foldMessageCounts(): number {
    return this.counts.fold();
  }

  private all<T>(sql: string, params: Params): T[] {
    return this.db.$client.prepare(sql).all(...params) as T[];
  }

  /** `and …` restricting outbox rows `o` to the messages a flow's runs sent. */
  private static messageFlow(flowId: string | undefined): { sql: string; params: Params } {
    return flowId
      ? { sql: 'and o.run_id in (select id from runs where flow_id = ?)', params: [flowId] }
      : { sql: '', params: [] };
  }

  messaging(query: AnalyticsQuery): MessagingReport {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const days = daysTable(buckets);
    const flow = AnalyticsQueries.messageFlow(query.flowId);
    const inRange = `o.created_at >= ? and o.created_at < ? ${flow.sql}`;
    const range = [from, to, ...flow.params];
    // Without a flow filter the per-day, per-flow and per-template counts come from the pre-aggregated
    // counts (message-count-queries.ts); a flow's own report counts its messages one by one.
    const counted = this.options.precounted && !query.flowId;
    const dayRows = counted
      ? this.counts.days(buckets, from, to)
      : this.all<StatusCountRow>(
          `${days.sql} select d.day as key, o.status as status, count(*) as n
           from days d join outbox o on o.created_at >= d.s and o.created_at < d.e ${flow.sql}
           group by d.day, o.status`,
          [...days.params, ...flow.params],
        );
    return messagingReport({
      buckets,
      days: dayRows,
      flows: counted
        ? this.counts.flows(from, to)
        : // Grouped by run first, so each run's flow is looked up once (runs_flow_of_idx).
          this.all(
            `select r.flow_id as key, f.name as flowName, x.status as status, sum(x.n) as n
             from (select o.run_id, o.status, count(*) as n from outbox o where ${inRange} group by o.run_id, o.status) x
             left join runs r on r.id = x.run_id left join flows f on f.id = r.flow_id
             group by r.flow_id, f.name, x.status`,
            range,
          ),
      templates: counted
        ? this.counts.templates(from, to)
        : this.all(
            `select json_extract(o.payload, '$.name') as key, o.status as status, count(*) as n
             from outbox o where o.kind = 'template' and ${inRange} group by key, o.status`,
            range,
          ),
      acceptedFailures: this.all(
        `select o.created_at as createdAt, r.flow_id as flowId,
           case when o.kind = 'template' then json_extract(o.payload, '$.name') end as template
         from outbox o left join runs r on r.id = o.run_id
         where o.status = 'failed' and o.provider_message_id is not null and ${inRange}`,
        range,
      ),
      failures: this.all(
        `select ${ERROR_CODE} as code, count(*) as count
         from outbox o where o.status = 'failed' and ${inRange} group by code`,
        range,
      ),
      timesToReadMs: this.timesToRead(inRange, range, readCount(dayRows)),
    });
  }

  /** First read − first accepted, in ms, per read message of the range (or of its sample). */
  private timesToRead(inRange: string, range: Params, reads: number): Array<number | null> {
    const read = `o.status in ('read', 'played') and ${inRange}`;
    const below = readSampleBelow(reads);
    // One index seek per message (outbox_statuses_outbox_status_idx covers it).
    return this.all<{ ms: number | null }>(
      `select (select round((julianday(min(case when s.status in ('read', 'played') then s.at end))
                 - julianday(min(case when s.status in ('accepted', 'sent') then s.at end))) * 86400000)
               from outbox_statuses s where s.outbox_id = o.id) as ms
       from outbox o where ${read} ${below ? 'and substr(o.id, -2) < ?' : ''}`,
      below ? [...range, below] : range,
    ).map((r) => r.ms);
  }

  flows(query: AnalyticsQuery): FlowsReport {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const days = daysTable(buckets);
    const runFlow = query.flowId ? 'and r.flow_id = ?' : '';
    const flowParams = query.flowId ? [query.flowId] : [];
    const runRange = [from, to, ...flowParams];
    const messageFlow = AnalyticsQueries.messageFlow(query.flowId);
    return flowsReport({
      buckets,
      days: this.all<RunCountRow>(
        `${days.sql} select d.day as key, ${RUN_COUNT_COLUMNS}
         from days d join runs r on r.created_at >= d.s and r.created_at < d.e ${runFlow}
         group by d.day`,
        [...days.params, ...flowParams],
      ),
      flows: this.all(
        `select r.flow_id as key, f.name as flowName, ${RUN_COUNT_COLUMNS}
         from runs r indexed by runs_created_flow_idx left join flows f on f.id = r.flow_id
         where r.created_at >= ? and r.created_at < ? ${runFlow} group by r.flow_id, f.name`,
        runRange,
      ),
      nodes: this.all(
        `select r.flow_id as flowId, f.name as flowName, st.node_id as nodeId, st.node_type as nodeType,
           count(*) as failures
         from runs r
         join run_steps st on st.id = (
           select s.id from run_steps s where s.run_id = r.id and s.status = 'failed'
           order by s.seq desc, s.attempt desc limit 1)
         left join flows f on f.id = r.flow_id
         where r.status = 'failed' and r.created_at >= ? and r.created_at < ? ${runFlow}
         group by r.flow_id, f.name, st.node_id, st.node_type`,
        runRange,
      ),
      refusals: this.all(
        `select case when o.status = 'refused' then ${ERROR_CODE} else 'rate_limited' end as reason,
           count(*) as count
         from outbox o
         where (o.status = 'refused' or (o.status = 'failed' and ${ERROR_CODE} in ${RATE_LIMITED}))
           and o.created_at >= ? and o.created_at < ? ${messageFlow.sql}
         group by reason`,
        [from, to, ...messageFlow.params],
      ),
    });
  }

  routing(query: AnalyticsQuery): RoutingReport {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const flow = query.flowId ? 'and c.flow_id = ?' : '';
    const flowParams = query.flowId ? [query.flowId] : [];
    return routingReport({
      buckets,
      now: query.now ?? new Date().toISOString(),
      conversations: this.all<ConversationFacts>(
        `select c.team_id as teamId, t.name as teamName, c.opened_at as openedAt,
           (select min(ev.at) from conversation_events ev
             where ev.conversation_id = c.id and ev.kind = 'assigned') as firstAssignedAt,
           (select o.created_at from outbox o
             where o.recipient = c.wa_id and o.created_at >= c.opened_at
               and o.created_at <= coalesce(c.closed_at, '9999-12-31T23:59:59.999Z')
               and o.channel = c.channel and o.run_id is null and o.status <> 'refused'
             order by o.created_at limit 1) as firstReplyAt,
           c.picked_up_at as pickedUpAt, c.sla_due_at as slaDueAt, c.closed_at as closedAt
         from conversations c left join teams t on t.id = c.team_id
         where c.opened_at >= ? and c.opened_at < ? ${flow}`,
        [from, to, ...flowParams],
      ),
      agents: this.all('select id as agentId, name as agentName, capacity from agents', []),
      assigned: this.all(
        `select json_extract(ev.data, '$.agent') as agentId, count(distinct ev.conversation_id) as n
         from conversation_events ev join conversations c on c.id = ev.conversation_id
         where ev.kind = 'assigned' and ev.at >= ? and ev.at < ? ${flow}
         group by agentId`,
        [from, to, ...flowParams],
      ),
      holding: this.all(
        `select c.agent_id as agentId, count(*) as n from conversations c
         where c.agent_id is not null and c.state <> 'closed' ${flow} group by c.agent_id`,
        flowParams,
      ),
    });
  }

  consent(query: AnalyticsQuery): ConsentReport {
    const buckets = dayBuckets(query);
    const { from, to } = rangeOf(query);
    const days = daysTable(buckets);
    const types = `e.type in ('contact.opted_in', 'contact.opted_out')`;
    return consentReport({
      buckets,
      days: this.all(
        `${days.sql} select d.day as key, ${CONSENT_COUNT_COLUMNS}
         from days d join inbound_events e on e.occurred_at >= d.s and e.occurred_at < d.e and ${types}
         group by d.day`,
        days.params,
      ),
      sources: this.all(
        `select json_extract(e.normalized, '$.source') as key, ${CONSENT_COUNT_COLUMNS}
         from inbound_events e where ${types} and e.occurred_at >= ? and e.occurred_at < ?
         group by key`,
        [from, to],
      ),
    });
  }
}
