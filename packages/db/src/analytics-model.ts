// What the analytics figures are, and the parts both databases share: the local-day buckets, the
// reports' shapes and the arithmetic done on counted rows (rates, medians, ordering). The SQL that
// counts lives in analytics-queries.ts (SQLite) and pg/analytics-queries.ts (Postgres); both hand rows
// of the same shape to the builders below, so the two databases report the same numbers.

/** What every analytics query takes. */
export interface AnalyticsQuery {
  /** Start of the range, an ISO instant (inclusive). */
  from: string;
  /** End of the range, an ISO instant (exclusive). */
  to: string;
  /** IANA time zone whose local days the per-day rows are. */
  timeZone: string;
  /** Only what this flow did (messages its runs sent, its runs, conversations it opened). */
  flowId?: string | undefined;
  /** "Now" for figures that depend on it (an unanswered conversation past its SLA); default: the clock. */
  now?: string | undefined;
}

/** One local day of the range: `[start, end)` as ISO instants, clipped to the range. */
export interface DayBucket {
  day: string;
  start: string;
  end: string;
}

/** A range longer than this many local days is refused (a year and a day covers any calendar year). */
export const MAX_ANALYTICS_DAYS = 367;

export class AnalyticsRangeError extends Error {
  override readonly name = 'AnalyticsRangeError';
  constructor(
    message: string,
    /** Which input was wrong: `from`, `to` or `tz`. */
    readonly field: 'from' | 'to' | 'tz',
  ) {
    super(message);
  }
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at instant `ms`, as if it were UTC (ms), to the second. */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The local date (`YYYY-MM-DD`) in `timeZone` at instant `ms`. */
export function localDate(ms: number, timeZone: string): string {
  return new Date(wallClock(ms, timeZone)).toISOString().slice(0, 10);
}

/**
 * The first instant of local date `date` (`YYYY-MM-DD`) in `timeZone`. Usually local midnight; on a day
 * whose midnight a DST change skips, the first instant that exists.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const midnight = Date.parse(`${date}T00:00:00.000Z`);
  // Two passes of "wall clock minus offset" settle on the offset in force at local midnight.
  let t = midnight - (wallClock(midnight, timeZone) - midnight);
  t = midnight - (wallClock(t, timeZone) - t);
  // Offsets are whole quarter hours: step to the first quarter hour of the day when midnight is skipped,
  // and back when an earlier quarter hour already is that day.
  const quarter = 15 * 60_000;
  while (localDate(t, timeZone) < date) t += quarter;
  while (localDate(t - quarter, timeZone) === date) t -= quarter;
  return t;
}

/** The day after `date` (`YYYY-MM-DD`). */
function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The local days of `[from, to)` in `timeZone`, each clipped to the range. Computed here (not in SQL) so
 * SQLite and Postgres bucket by the same instants, DST days included.
 */
export function dayBuckets(query: Pick<AnalyticsQuery, 'from' | 'to' | 'timeZone'>): DayBucket[] {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (Number.isNaN(from)) throw new AnalyticsRangeError(`"${query.from}" is not a time`, 'from');
  if (Number.isNaN(to)) throw new AnalyticsRangeError(`"${query.to}" is not a time`, 'to');
  if (to <= from) throw new AnalyticsRangeError('must be after "from"', 'to');
  if (!isTimeZone(query.timeZone)) {
    throw new AnalyticsRangeError(`"${query.timeZone}" is not an IANA time zone`, 'tz');
  }
  const buckets: DayBucket[] = [];
  let day = localDate(from, query.timeZone);
  let start = from;
  while (start < to) {
    if (buckets.length >= MAX_ANALYTICS_DAYS) {
      throw new AnalyticsRangeError(`covers more than ${MAX_ANALYTICS_DAYS} days`, 'to');
    }
    const next = nextDate(day);
    const end = Math.min(startOfLocalDay(next, query.timeZone), to);
    buckets.push({ day, start: new Date(start).toISOString(), end: new Date(end).toISOString() });
    day = next;
    start = end;
  }
  return buckets;
}

/** The range as stored times compare (ISO UTC strings): `from` inclusive, `to` exclusive. */
export function rangeOf(query: AnalyticsQuery): { from: string; to: string } {
  return { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString() };
}

/** The median of `values` (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Time = string | Date | number;

/** A time as the drivers return it (ISO text from SQLite, epoch ms from our Postgres queries) in ms. */
const msOf = (t: Time | null): number | null =>
  t === null ? null : t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);

/** `part / whole`, or null when nothing was counted. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Most first, then by key, so both databases list ties in the same order. */
function byCountThenKey<T>(count: (row: T) => number, key: (row: T) => string) {
  return (a: T, b: T) => count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------
// Messaging

/**
 * Message counts by current status. A message is counted once, in the local day it was created (queued),
 * by the status it has now:
 * - `messages`: every message created in the range, whatever happened to it (still queued ones too);
 * - `sent`: Meta accepted it (accepted, sent, delivered, read), including one that failed afterwards
 *   (it has a WhatsApp message id);
 * - `delivered`: it reached the customer's device (delivered or read);
 * - `read`: the customer read it;
 * - `failed`: it ended failed (Meta refused it, or it failed after acceptance, or retries ran out);
 * - `refused`: our own policy refused to send it (24-hour window, consent, blocked region).
 */
export interface MessageCounts {
  messages: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  refused: number;
}

/**
 * A row the SQL hands back: how many messages of one key (a day, a flow, a template) have one status.
 * Grouping by status (not summing cases) lets SQLite and Postgres count from the index alone; the
 * statuses are classified here, once for both.
 */
export interface StatusCountRow {
  key: string | null;
  status: string;
  n: number | string;
}

/**
 * Above this many read messages in a range, the median time to read is taken over an even sample of
 * about this many (each read needs one index seek into the status history: exact over a million messages
 * would take seconds, and the median of 50,000 differs from the whole's by a fraction of a percent).
 */
export const READ_SAMPLE = 50_000;

/**
 * The sample of `reads` read messages: those whose id ends (last two characters, byte order) below the
 * returned string; null: take them all. Ids end in random hex digits (UUIDv7), so this keeps an even
 * share, and both databases pick the same messages.
 */
export function readSampleBelow(reads: number): string | null {
  if (reads <= READ_SAMPLE) return null;
  const share = Math.max(1, Math.ceil((256 * READ_SAMPLE) / reads));
  return share >= 256 ? null : share.toString(16).padStart(2, '0');
}

/** A failed message Meta had accepted (it counts as sent too): where it belongs. */
export interface AcceptedFailure {
  createdAt: string | Date | number;
  flowId: string | null;
  template: string | null;
}

export interface MessagingReport {
  days: Array<MessageCounts & { day: string }>;
  totals: MessageCounts & {
    /** delivered ÷ sent; null when nothing was sent. */
    deliveryRate: number | null;
    /** read ÷ delivered; null when nothing was delivered. */
    readRate: number | null;
    /**
     * Median of (first read − first accepted) over read messages, in ms; null when none was read. Over
     * every read message up to READ_SAMPLE of them; beyond, over the sample `readSampleBelow` picks.
     */
    medianTimeToReadMs: number | null;
    /** How many read messages the median was taken over. */
    timeToReadSample: number;
  };
  /** Messages sent by each flow's runs; `flowId` null: sent by no flow (inbox replies, the API). */
  byFlow: Array<MessageCounts & { flowId: string | null; flowName: string | null }>;
  /** Template messages by template name. */
  byTemplate: Array<MessageCounts & { template: string }>;
  /** Failed messages by the last error's code (Meta's code, or `unknown`). */
  failuresByCode: Array<{ code: string; count: number }>;
}

const zero = (): MessageCounts => ({ messages: 0, sent: 0, delivered: 0, read: 0, failed: 0, refused: 0 });

const ACCEPTED = new Set(['accepted', 'sent', 'delivered', 'read', 'played']);
const DELIVERED = new Set(['delivered', 'read', 'played']);
const READ = new Set(['read', 'played']);

/** Adds `n` messages with `status` to `c` (failed ones Meta accepted are added to `sent` separately). */
function addStatus(c: MessageCounts, status: string, n: number): void {
  c.messages += n;
  if (ACCEPTED.has(status)) c.sent += n;
  if (DELIVERED.has(status)) c.delivered += n;
  if (READ.has(status)) c.read += n;
  if (status === 'failed') c.failed += n;
  if (status === 'refused') c.refused += n;
}

/** Counts per key from status rows, keeping the first extra field seen per key (e.g. the flow's name). */
function countsByKey<E extends object>(
  rows: Array<StatusCountRow & E>,
): Map<string | null, MessageCounts & E> {
  const byKey = new Map<string | null, MessageCounts & E>();
  for (const { key, status, n, ...extra } of rows) {
    let c = byKey.get(key);
    if (!c) {
      c = { ...(extra as unknown as E), ...zero() };
      byKey.set(key, c);
    }
    addStatus(c, status, Number(n));
  }
  return byKey;
}

const withoutExtra = ({
  messages,
  sent,
  delivered,
  read,
  failed,
  refused,
}: MessageCounts): MessageCounts => ({
  messages,
  sent,
  delivered,
  read,
  failed,
  refused,
});

/**
 * A function giving the index of the bucket that holds instant `ms`, or -1: a binary search over the
 * buckets' starts, parsed once (reports place tens of thousands of rows).
 */
export function dayIndexer(buckets: DayBucket[]): (ms: number) => number {
  const starts = buckets.map((b) => Date.parse(b.start));
  const end = buckets.length ? Date.parse(buckets[buckets.length - 1]!.end) : Number.NEGATIVE_INFINITY;
  return (ms) => {
    if (!(ms >= starts[0]! && ms < end)) return -1;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

export function messagingReport(input: {
  buckets: DayBucket[];
  days: StatusCountRow[];
  flows: Array<StatusCountRow & { flowName: string | null }>;
  templates: StatusCountRow[];
  acceptedFailures: AcceptedFailure[];
  failures: Array<{ code: string | number | null; count: number | string }>;
  timesToReadMs: Array<number | string | null>;
}): MessagingReport {
  const perDay = countsByKey(input.days);
  const days = input.buckets.map((b) => ({ day: b.day, ...(perDay.get(b.day) ?? zero()) }));
  const flows = countsByKey(input.flows);
  const templates = countsByKey(input.templates);
  const dayOf = dayIndexer(input.buckets);
  for (const f of input.acceptedFailures) {
    const day = days[dayOf(msOf(f.createdAt)!)];
    if (day) day.sent++;
    const flow = flows.get(f.flowId);
    if (flow) flow.sent++;
    const template = f.template === null ? undefined : templates.get(f.template);
    if (template) template.sent++;
  }
  const total = zero();
  for (const d of days) {
    for (const k of Object.keys(total) as Array<keyof MessageCounts>) total[k] += d[k];
  }
  const reads = input.timesToReadMs.filter((t) => t !== null).map(Number);
  const failures = new Map<string, number>();
  for (const f of input.failures) {
    const code = f.code === null || f.code === '' ? 'unknown' : String(f.code);
    failures.set(code, (failures.get(code) ?? 0) + Number(f.count));
  }
  return {
    days,
    totals: {
      ...total,
      deliveryRate: rate(total.delivered, total.sent),
      readRate: rate(total.read, total.delivered),
      medianTimeToReadMs: median(reads),
      timeToReadSample: reads.length,
    },
    byFlow: [...flows]
      .map(([flowId, c]) => ({ flowId, flowName: c.flowName ?? null, ...withoutExtra(c) }))
      .sort(
        byCountThenKey(
          (r) => r.messages,
          (r) => r.flowId ?? '',
        ),
      ),
    byTemplate: [...templates]
      .map(([template, c]) => ({ template: template ?? '', ...withoutExtra(c) }))
      .sort(
        byCountThenKey(
          (r) => r.messages,
          (r) => r.template,
        ),
      ),
    failuresByCode: [...failures]
      .map(([code, count]) => ({ code, count }))
      .sort(
        byCountThenKey(
          (r) => r.count,
          (r) => r.code,
        ),
      ),
  };
}

// ---------------------------------------------------------------------------------------------------
// Flows

/** Meta error codes that mean a rate limit; a message that failed with one counts as `rate_limited`. */
export const RATE_LIMIT_CODES = ['4', '80007', '130429', '131056'] as const;

export interface FailingNode {
  flowId: string;
  flowName: string | null;
  nodeId: string;
  nodeType: string;
  /** Failed runs whose last failed step was this node. */
  failures: number;
}

/**
 * Runs counted in the local day they were created: `runs` every run, `succeeded` / `failed` those that
 * ended so (runs still going or cancelled count only in `runs`).
 */
export interface RunCounts {
  runs: number;
  succeeded: number;
  failed: number;
}

export interface FlowsReport {
  days: Array<RunCounts & { day: string }>;
  totals: RunCounts & {
    /** succeeded ÷ (succeeded + failed); null when none ended. */ successRate: number | null;
  };
  byFlow: Array<RunCounts & { flowId: string; flowName: string | null; topFailingNode: FailingNode | null }>;
  /** Where failed runs failed: the node of each failed run's last failed step, most first. */
  failuresByNode: FailingNode[];
  /** The node where runs fail most; null when no run failed. */
  topFailingNode: FailingNode | null;
  /**
   * Messages created in the range that were not sent for a policy reason: refused by our policy check
   * (`outside_24h_window`, `opted_out`, `not_opted_in`, `blocked_region`) or failed on a Meta rate
   * limit after the retries (`rate_limited`).
   */
  policyRefusals: Array<{ reason: string; count: number }>;
}

export type RunCountRow = {
  key: string | null;
  runs: number | string;
  succeeded: number | string;
  failed: number | string;
};

function runCounts(row: Partial<RunCountRow> | undefined): RunCounts {
  return {
    runs: Number(row?.runs ?? 0),
    succeeded: Number(row?.succeeded ?? 0),
    failed: Number(row?.failed ?? 0),
  };
}

export const RUN_COUNT_COLUMNS = `count(*) as runs,
  sum(case when r.status = 'succeeded' then 1 else 0 end) as succeeded,
  sum(case when r.status = 'failed' then 1 else 0 end) as failed`;

export function flowsReport(input: {
  buckets: DayBucket[];
  days: RunCountRow[];
  flows: Array<RunCountRow & { flowName: string | null }>;
  nodes: Array<{
    flowId: string;
    flowName: string | null;
    nodeId: string;
    nodeType: string;
    failures: number | string;
  }>;
  refusals: Array<{ reason: string | null; count: number | string }>;
}): FlowsReport {
  const perDay = new Map(input.days.map((r) => [r.key, runCounts(r)]));
  const days = input.buckets.map((b) => ({ day: b.day, ...runCounts(perDay.get(b.day)) }));
  const total = days.reduce(
    (s, d) => ({ runs: s.runs + d.runs, succeeded: s.succeeded + d.succeeded, failed: s.failed + d.failed }),
    { runs: 0, succeeded: 0, failed: 0 },
  );
  const failuresByNode = input.nodes
    .map((n) => ({ ...n, flowName: n.flowName ?? null, failures: Number(n.failures) }))
    .sort(
      byCountThenKey(
        (n) => n.failures,
        (n) => `${n.flowId}\u0000${n.nodeId}`,
      ),
    );
  const refusals = new Map<string, number>();
  for (const r of input.refusals) {
    const reason = r.reason ?? 'unknown';
    refusals.set(reason, (refusals.get(reason) ?? 0) + Number(r.count));
  }
  return {
    days,
    totals: { ...total, successRate: rate(total.succeeded, total.succeeded + total.failed) },
    byFlow: input.flows
      .map((f) => ({
        flowId: f.key ?? '',
        flowName: f.flowName ?? null,
        ...runCounts(f),
        topFailingNode: failuresByNode.find((n) => n.flowId === f.key) ?? null,
      }))
      .sort(
        byCountThenKey(
          (f) => f.runs,
          (f) => f.flowId,
        ),
      ),
    failuresByNode,
    topFailingNode: failuresByNode[0] ?? null,
    policyRefusals: [...refusals]
      .map(([reason, count]) => ({ reason, count }))
      .sort(
        byCountThenKey(
          (r) => r.count,
          (r) => r.reason,
        ),
      ),
  };
}

// ---------------------------------------------------------------------------------------------------
// Routing

/** One conversation opened in the range, as the SQL reads it (times as ISO strings, Dates or epoch ms). */
export interface ConversationFacts {
  teamId: string;
  teamName: string | null;
  openedAt: Time;
  /** Its first `assigned` event. */
  firstAssignedAt: Time | null;
  /** The first message sent to the contact while it was open that no flow sent (an agent's reply). */
  firstReplyAt: Time | null;
  pickedUpAt: Time | null;
  slaDueAt: Time | null;
  closedAt: Time | null;
}

export interface RoutingFigures {
  /** Conversations opened (by a routing step) in the range. */
  conversations: number;
  /** Of those, how many were ever assigned to an agent. */
  assigned: number;
  /**
   * Of those with an SLA, how many nobody picked up in time: picked up after the due time, or not picked
   * up and closed after it or still open past it (at `now`).
   */
  slaBreaches: number;
  /** Median of (first assignment − opened), in ms, over assigned conversations. */
  medianTimeToAssignmentMs: number | null;
  /** Median of (first agent reply − opened), in ms, over conversations that got one. */
  medianTimeToFirstReplyMs: number | null;
}

export interface AgentLoad {
  agentId: string;
  agentName: string;
  capacity: number;
  /** Conversations assigned to this agent in the range (each counted once however often). */
  assigned: number;
  /** Conversations this agent holds now (not closed). */
  holding: number;
}

export interface RoutingReport {
  days: Array<{ day: string; conversations: number; slaBreaches: number }>;
  totals: RoutingFigures;
  byTeam: Array<RoutingFigures & { teamId: string; teamName: string | null }>;
  agentLoad: AgentLoad[];
}

function figures(rows: ConversationFacts[], now: number): RoutingFigures {
  const toAssign: number[] = [];
  const toReply: number[] = [];
  let breaches = 0;
  for (const c of rows) {
    const opened = msOf(c.openedAt)!;
    const assigned = msOf(c.firstAssignedAt);
    const reply = msOf(c.firstReplyAt);
    if (assigned !== null) toAssign.push(assigned - opened);
    if (reply !== null) toReply.push(reply - opened);
    if (isBreach(c, now)) breaches++;
  }
  return {
    conversations: rows.length,
    assigned: toAssign.length,
    slaBreaches: breaches,
    medianTimeToAssignmentMs: median(toAssign),
    medianTimeToFirstReplyMs: median(toReply),
  };
}

function isBreach(c: ConversationFacts, now: number): boolean {
  const due = msOf(c.slaDueAt);
  if (due === null) return false;
  const answered = msOf(c.pickedUpAt) ?? msOf(c.closedAt) ?? now;
  return answered > due;
}

export function routingReport(input: {
  buckets: DayBucket[];
  conversations: ConversationFacts[];
  agents: Array<{ agentId: string; agentName: string; capacity: number | string }>;
  /** Distinct conversations assigned to each agent in the range. */
  assigned: Array<{ agentId: string | null; n: number | string }>;
  /** Conversations each agent holds now. */
  holding: Array<{ agentId: string | null; n: number | string }>;
  now: string;
}): RoutingReport {
  const assigned = new Map(input.assigned.map((a) => [a.agentId, Number(a.n)]));
  const holding = new Map(input.holding.map((a) => [a.agentId, Number(a.n)]));
  const now = Date.parse(input.now);
  const ends = input.buckets.map((b) => Date.parse(b.end));
  const days = input.buckets.map((b) => ({ day: b.day, conversations: 0, slaBreaches: 0 }));
  const teams = new Map<string, { teamName: string | null; rows: ConversationFacts[] }>();
  for (const c of input.conversations) {
    const opened = msOf(c.openedAt)!;
    const i = ends.findIndex((end) => opened < end);
    const day = days[i];
    if (day) {
      day.conversations++;
      if (isBreach(c, now)) day.slaBreaches++;
    }
    const team = teams.get(c.teamId) ?? { teamName: c.teamName, rows: [] };
    team.rows.push(c);
    teams.set(c.teamId, team);
  }
  return {
    days,
    totals: figures(input.conversations, now),
    byTeam: [...teams]
      .map(([teamId, t]) => ({ teamId, teamName: t.teamName, ...figures(t.rows, now) }))
      .sort(
        byCountThenKey(
          (t) => t.conversations,
          (t) => t.teamId,
        ),
      ),
    agentLoad: input.agents
      .map((a) => ({
        agentId: a.agentId,
        agentName: a.agentName,
        capacity: Number(a.capacity),
        assigned: assigned.get(a.agentId) ?? 0,
        holding: holding.get(a.agentId) ?? 0,
      }))
      .sort(
        byCountThenKey(
          (a) => a.assigned,
          (a) => a.agentId,
        ),
      ),
  };
}

// ---------------------------------------------------------------------------------------------------
// Consent

/**
 * Consent changes customers made through WhatsApp, from the stored webhook events (an opt-out or opt-in
 * keyword, their "offers and announcements" setting, Meta's error 131050), in the local day they
 * happened. Changes made by a flow or through the API are not counted: only the latest decision is kept.
 */
export interface ConsentReport {
  days: Array<{ day: string; optIns: number; optOuts: number }>;
  totals: { optIns: number; optOuts: number };
  /** By where the change came from: `keyword`, `user_preferences`, `error_131050`. */
  bySource: Array<{ source: string; optIns: number; optOuts: number }>;
}

export type ConsentRow = { key: string | null; optIns: number | string; optOuts: number | string };

export const CONSENT_COUNT_COLUMNS = `sum(case when e.type = 'contact.opted_in' then 1 else 0 end) as "optIns",
  sum(case when e.type = 'contact.opted_out' then 1 else 0 end) as "optOuts"`;

export function consentReport(input: {
  buckets: DayBucket[];
  days: ConsentRow[];
  sources: ConsentRow[];
}): ConsentReport {
  const perDay = new Map(input.days.map((r) => [r.key, r]));
  const days = input.buckets.map((b) => {
    const r = perDay.get(b.day);
    return { day: b.day, optIns: Number(r?.optIns ?? 0), optOuts: Number(r?.optOuts ?? 0) };
  });
  return {
    days,
    totals: {
      optIns: days.reduce((s, d) => s + d.optIns, 0),
      optOuts: days.reduce((s, d) => s + d.optOuts, 0),
    },
    bySource: input.sources
      .map((r) => ({ source: r.key ?? 'unknown', optIns: Number(r.optIns), optOuts: Number(r.optOuts) }))
      .sort(
        byCountThenKey(
          (r) => r.optIns + r.optOuts,
          (r) => r.source,
        ),
      ),
  };
}
