import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-monitoring.ts (see ../columns.ts for times).

/** Counters of each process per time bucket (summed over processes), and gauges with process `*`. */
export const monitoringSamples = pgTable(
  'monitoring_samples',
  {
    bucketAt: isoTime('bucket_at').notNull(),
    process: text('process').notNull(),
    metric: text('metric').notNull(),
    label: text('label').notNull().default(''),
    value: doublePrecision('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucketAt, t.metric, t.label, t.process] })],
);

/** An alert rule: `metric comparison threshold` held for `durationSeconds` opens an incident. */
export const alertRules = pgTable('alert_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  metric: text('metric').notNull(),
  comparison: text('comparison').notNull(),
  threshold: doublePrecision('threshold').notNull(),
  durationSeconds: integer('duration_seconds').notNull(),
  notifyKind: text('notify_kind').notNull(),
  notifyTarget: text('notify_target').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  breachingSince: isoTime('breaching_since'),
  createdAt: isoTime('created_at').notNull(),
  updatedAt: isoTime('updated_at').notNull(),
});

/** One incident of a rule; `open_key` (unique) holds the rule id while it is open. */
export const alertIncidents = pgTable(
  'alert_incidents',
  {
    id: text('id').primaryKey(),
    ruleId: text('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    metric: text('metric').notNull(),
    comparison: text('comparison').notNull(),
    threshold: doublePrecision('threshold').notNull(),
    status: text('status').notNull(),
    openKey: text('open_key'),
    openedAt: isoTime('opened_at').notNull(),
    openedValue: doublePrecision('opened_value').notNull(),
    resolvedAt: isoTime('resolved_at'),
    resolvedValue: doublePrecision('resolved_value'),
    openNotifiedAt: isoTime('open_notified_at'),
    resolveNotifiedAt: isoTime('resolve_notified_at'),
    noticeClaimUntil: isoTime('notice_claim_until'),
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
