import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Live monitoring and alerts (docs/monitoring.md). Times are ISO-8601 UTC strings, as in ./schema.ts.

/**
 * Counters of each process, per time bucket: every process adds what it counted since its last flush
 * to its own row, so the figure of a bucket is the sum over processes (web and worker alike). Gauges
 * read from the database (queue depths and ages) are written once per bucket with process `*`.
 */
export const monitoringSamples = sqliteTable(
  'monitoring_samples',
  {
    bucketAt: text('bucket_at').notNull(),
    process: text('process').notNull(),
    metric: text('metric').notNull(),
    /** One label value (an error code, a send outcome) or ''. */
    label: text('label').notNull().default(''),
    value: real('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucketAt, t.metric, t.label, t.process] })],
);

/** An alert rule: `metric comparison threshold` held for `durationSeconds` opens an incident. */
export const alertRules = sqliteTable('alert_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  metric: text('metric').notNull(),
  comparison: text('comparison').notNull(),
  threshold: real('threshold').notNull(),
  durationSeconds: integer('duration_seconds').notNull(),
  /** `slack` (target: a credential's name) or `http` (target: a URL, through the outbound guard). */
  notifyKind: text('notify_kind').notNull(),
  notifyTarget: text('notify_target').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Since when the condition has held without a break (shared by every evaluating process). */
  breachingSince: text('breaching_since'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One incident of a rule. `open_key` holds the rule id while the incident is open and is unique, so
 * of several processes that see the same breach only one opens it (and notifies); null once resolved.
 */
export const alertIncidents = sqliteTable(
  'alert_incidents',
  {
    id: text('id').primaryKey(),
    ruleId: text('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    metric: text('metric').notNull(),
    comparison: text('comparison').notNull(),
    threshold: real('threshold').notNull(),
    status: text('status').notNull(),
    openKey: text('open_key'),
    openedAt: text('opened_at').notNull(),
    openedValue: real('opened_value').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedValue: real('resolved_value'),
    /** When the "firing" and "resolved" notices were delivered (null while owed). */
    openNotifiedAt: text('open_notified_at'),
    resolveNotifiedAt: text('resolve_notified_at'),
    /** A process sending a notice holds it until then; a lapsed claim is taken by another. */
    noticeClaimUntil: text('notice_claim_until'),
    noticeAttempts: integer('notice_attempts').notNull().default(0),
    lastNoticeError: text('last_notice_error'),
  },
  (t) => [
    uniqueIndex('alert_incidents_open_uq').on(t.openKey),
    index('alert_incidents_rule_idx').on(t.ruleId, t.openedAt),
    index('alert_incidents_opened_idx').on(t.openedAt),
    index('alert_incidents_notice_idx')
      .on(t.status)
      .where(sql`open_notified_at is null or (status = 'resolved' and resolve_notified_at is null)`),
  ],
);
