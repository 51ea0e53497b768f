import {
  type AnalyticsQuery,
  AnalyticsRangeError,
  isTimeZone,
  localDate,
  startOfLocalDay,
} from '@switchboard/db';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { FLOW_READERS } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { errorMeaning, toCsv } from './analytics-tables.js';

// GET /api/analytics/{messaging,flows,routing,consent}: the database's analytics reports over a date
// range, per local day of a time zone, as JSON or one of their tables as CSV. What each figure counts is
// defined in packages/db/src/analytics-model.ts and described in docs/api.md ("Analytics").

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

const DayOrInstant = z
  .string()
  .max(40)
  .refine(
    (v) =>
      (DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) ||
      (INSTANT.test(v) && !Number.isNaN(Date.parse(v))),
    {
      message:
        'must be a date (2026-03-01, a local day in `tz`) or an ISO 8601 time with a zone (2026-03-01T06:00:00Z)',
    },
  );

const Query = z.object({
  from: DayOrInstant.optional().describe(
    'First day (in `tz`) or instant, inclusive; default: 6 days before today',
  ),
  to: DayOrInstant.optional().describe(
    'Last day (in `tz`), inclusive, or an instant, exclusive; default: today',
  ),
  tz: z
    .string()
    .max(64)
    .default('UTC')
    .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. America/Mexico_City or UTC' })
    .describe('IANA time zone of the per-day rows (default UTC)'),
  flowId: z.string().max(100).optional().describe('Only what this flow did'),
  format: z.enum(['json', 'csv']).default('json').describe('`csv`: one table of the report as text/csv'),
});

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** `from`/`to` as instants: a date is a local day in `tz` (`to` inclusive), an instant is taken as is. */
function resolveRange(query: { from?: string | undefined; to?: string | undefined; tz: string }, now: Date) {
  const today = localDate(now.getTime(), query.tz);
  const toMs = !query.to
    ? startOfLocalDay(addDays(today, 1), query.tz)
    : DATE.test(query.to)
      ? startOfLocalDay(addDays(query.to, 1), query.tz)
      : Date.parse(query.to);
  const fromMs = !query.from
    ? startOfLocalDay(addDays(localDate(toMs - 1, query.tz), -6), query.tz)
    : DATE.test(query.from)
      ? startOfLocalDay(query.from, query.tz)
      : Date.parse(query.from);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1).nullable();
const Ms = z.number().nullable();
const Range = {
  from: z.string().describe('Start of the range (instant, inclusive)'),
  to: z.string().describe('End of the range (instant, exclusive)'),
  timeZone: z.string(),
  flowId: z.string().nullable(),
};
const MessageCounts = {
  messages: Count.describe('Messages created (queued) in the range, whatever became of them'),
  sent: Count.describe('Accepted by Meta (accepted, sent, delivered, read, or failed after acceptance)'),
  delivered: Count.describe('Reached a device (delivered or read)'),
  read: Count.describe('Read by the customer'),
  failed: Count.describe('Ended failed'),
  refused: Count.describe('Not sent: refused by the WhatsApp policy check'),
};
const FailingNode = z.object({
  flowId: z.string(),
  flowName: z.string().nullable(),
  nodeId: z.string(),
  nodeType: z.string(),
  failures: Count,
});
const RunCounts = { runs: Count, succeeded: Count, failed: Count };
const RoutingFigures = {
  conversations: Count.describe('Conversations opened in the range'),
  assigned: Count.describe('Of those, assigned to an agent at some point'),
  slaBreaches: Count.describe('Of those with an SLA, not picked up by its due time'),
  medianTimeToAssignmentMs: Ms.describe('Median of first assignment − opened'),
  medianTimeToFirstReplyMs: Ms.describe('Median of first agent reply − opened'),
};

const MessagingAnswer = z.object({
  ...Range,
  days: z.array(z.object({ day: z.string(), ...MessageCounts })),
  totals: z.object({
    ...MessageCounts,
    deliveryRate: Rate.describe('delivered ÷ sent'),
    readRate: Rate.describe('read ÷ delivered'),
    medianTimeToReadMs: Ms.describe(
      'Median of first read − first accepted, over read messages (an even sample of about 50,000 beyond that)',
    ),
    timeToReadSample: Count.describe('How many read messages the median was taken over'),
  }),
  byFlow: z.array(
    z.object({ flowId: z.string().nullable(), flowName: z.string().nullable(), ...MessageCounts }),
  ),
  byTemplate: z.array(z.object({ template: z.string(), ...MessageCounts })),
  failuresByCode: z.array(z.object({ code: z.string(), meaning: z.string().nullable(), count: Count })),
});
const FlowsAnswer = z.object({
  ...Range,
  days: z.array(z.object({ day: z.string(), ...RunCounts })),
  totals: z.object({ ...RunCounts, successRate: Rate.describe('succeeded ÷ (succeeded + failed)') }),
  byFlow: z.array(
    z.object({
      flowId: z.string(),
      flowName: z.string().nullable(),
      ...RunCounts,
      topFailingNode: FailingNode.nullable(),
    }),
  ),
  failuresByNode: z.array(FailingNode),
  topFailingNode: FailingNode.nullable(),
  policyRefusals: z.array(z.object({ reason: z.string(), count: Count })),
});
const RoutingAnswer = z.object({
  ...Range,
  days: z.array(z.object({ day: z.string(), conversations: Count, slaBreaches: Count })),
  totals: z.object(RoutingFigures),
  byTeam: z.array(z.object({ teamId: z.string(), teamName: z.string().nullable(), ...RoutingFigures })),
  agentLoad: z.array(
    z.object({
      agentId: z.string(),
      agentName: z.string(),
      capacity: Count,
      assigned: Count,
      holding: Count,
    }),
  ),
});
const ConsentAnswer = z.object({
  ...Range,
  days: z.array(z.object({ day: z.string(), optIns: Count, optOuts: Count })),
  totals: z.object({ optIns: Count, optOuts: Count }),
  bySource: z.array(z.object({ source: z.string(), optIns: Count, optOuts: Count })),
});

type Row = Record<string, string | number | boolean | null>;
/** The tables of a report a CSV may hold: the first is the default. */
type Tables<A> = Record<string, { columns: string[]; rows: (answer: A) => Row[] }>;

const MESSAGE_COLUMNS = ['messages', 'sent', 'delivered', 'read', 'failed', 'refused'];
const RUN_COLUMNS = ['runs', 'succeeded', 'failed'];
const ROUTING_COLUMNS = Object.keys(RoutingFigures);
const NODE_COLUMNS = ['flowId', 'flowName', 'nodeId', 'nodeType', 'failures'];

const MESSAGING_TABLES: Tables<z.infer<typeof MessagingAnswer>> = {
  days: { columns: ['day', ...MESSAGE_COLUMNS], rows: (a) => a.days },
  flows: { columns: ['flowId', 'flowName', ...MESSAGE_COLUMNS], rows: (a) => a.byFlow },
  templates: { columns: ['template', ...MESSAGE_COLUMNS], rows: (a) => a.byTemplate },
  failures: { columns: ['code', 'meaning', 'count'], rows: (a) => a.failuresByCode },
};
const FLOWS_TABLES: Tables<z.infer<typeof FlowsAnswer>> = {
  days: { columns: ['day', ...RUN_COLUMNS], rows: (a) => a.days },
  flows: {
    columns: ['flowId', 'flowName', ...RUN_COLUMNS, 'topFailingNodeId', 'topFailingNodeFailures'],
    rows: (a) =>
      a.byFlow.map(({ topFailingNode, ...f }) => ({
        ...f,
        topFailingNodeId: topFailingNode?.nodeId ?? null,
        topFailingNodeFailures: topFailingNode?.failures ?? null,
      })),
  },
  nodes: { columns: NODE_COLUMNS, rows: (a) => a.failuresByNode },
  refusals: { columns: ['reason', 'count'], rows: (a) => a.policyRefusals },
};
const ROUTING_TABLES: Tables<z.infer<typeof RoutingAnswer>> = {
  days: { columns: ['day', 'conversations', 'slaBreaches'], rows: (a) => a.days },
  teams: { columns: ['teamId', 'teamName', ...ROUTING_COLUMNS], rows: (a) => a.byTeam },
  agents: { columns: ['agentId', 'agentName', 'capacity', 'assigned', 'holding'], rows: (a) => a.agentLoad },
};
const CONSENT_TABLES: Tables<z.infer<typeof ConsentAnswer>> = {
  days: { columns: ['day', 'optIns', 'optOuts'], rows: (a) => a.days },
  sources: { columns: ['source', 'optIns', 'optOuts'], rows: (a) => a.bySource },
};

export function analyticsRoutes(api: Api, rt: Runtime): void {
  const { analytics } = rt.database.repos;
  const endpoint = <A extends { from: string; to: string }>(spec: {
    name: string;
    summary: string;
    schema: z.ZodType<A>;
    tables: Tables<A>;
    report: (q: AnalyticsQuery) => Promise<Omit<A, keyof typeof Range>>;
  }) => {
    const names = Object.keys(spec.tables) as [string, ...string[]];
    api.add({
      method: 'get',
      path: `/api/analytics/${spec.name}`,
      roles: FLOW_READERS,
      tag: 'analytics',
      summary: spec.summary,
      query: Query.extend({
        table: z
          .enum(names)
          .default(names[0])
          .describe(`With format=csv, which table: ${names.join(', ')} (default ${names[0]})`),
      }),
      responses: {
        200: {
          description: 'The report (JSON); with format=csv, the chosen table as text/csv with a header row',
          schema: spec.schema,
        },
        400: {
          description: 'A bad range or time zone (the problem names `from`, `to` or `tz`)',
          schema: ErrorBody,
        },
      },
      handler: async ({ query }, res) => {
        const range = resolveRange(query, new Date());
        let report: Omit<A, keyof typeof Range>;
        try {
          report = await spec.report({ ...range, timeZone: query.tz, flowId: query.flowId });
        } catch (error) {
          if (error instanceof AnalyticsRangeError) return badRange(res, error);
          throw error;
        }
        const answer = {
          ...range,
          timeZone: query.tz,
          flowId: query.flowId ?? null,
          ...report,
        } as unknown as A;
        if (query.format === 'json') return res.json(answer);
        const table = spec.tables[query.table]!;
        const days = (iso: string) => iso.slice(0, 10);
        res
          .type('text/csv; charset=utf-8')
          .attachment(`${spec.name}-${query.table}-${days(answer.from)}-${days(answer.to)}.csv`)
          .send(toCsv(table.columns, table.rows(answer)));
      },
    });
  };

  endpoint({
    name: 'messaging',
    summary: 'Messages sent, delivered, read and failed per day, flow and template; rates; failures by code',
    schema: MessagingAnswer,
    tables: MESSAGING_TABLES,
    report: async (q) => {
      const report = await analytics.messaging(q);
      return {
        ...report,
        failuresByCode: report.failuresByCode.map((f) => ({
          code: f.code,
          meaning: errorMeaning(f.code),
          count: f.count,
        })),
      };
    },
  });
  endpoint({
    name: 'flows',
    summary: 'Runs, successes and failures per day, flow and node; policy refusals by reason',
    schema: FlowsAnswer,
    tables: FLOWS_TABLES,
    report: (q) => analytics.flows(q),
  });
  endpoint({
    name: 'routing',
    summary: 'Conversations per team, times to assignment and first reply, SLA breaches, agent load',
    schema: RoutingAnswer,
    tables: ROUTING_TABLES,
    report: (q) => analytics.routing(q),
  });
  endpoint({
    name: 'consent',
    summary: 'Opt-ins and opt-outs customers made through WhatsApp, per day and by source',
    schema: ConsentAnswer,
    tables: CONSENT_TABLES,
    report: (q) => analytics.consent(q),
  });
}

function badRange(res: Response, error: AnalyticsRangeError) {
  return sendError(res, 400, 'invalid_request', 'the request has 1 problem(s)', [
    { path: `$.query.${error.field}`, message: error.message },
  ]);
}
