import { and, asc, count, desc, eq, gte, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import {
  alertIncidents,
  alertRules,
  inboundEvents,
  monitoringSamples,
  outbox,
  runs,
  subscriptionDeliveries,
} from './schema.js';

export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertIncidentRow = typeof alertIncidents.$inferSelect;

/** One figure of one bucket; `process` `*` marks a gauge read from the database (written, not added). */
export interface Sample {
  bucketAt: string;
  process: string;
  metric: string;
  label: string;
  value: number;
}

/** A bucket's figure summed over processes. */
export type SummedSample = Omit<Sample, 'process'>;

/** Queue depths and ages, read from the database itself (right whatever process asks). */
export interface QueueFigures {
  eventsPending: number;
  /** `received_at` of the oldest event not yet processed, or null. */
  oldestPendingAt: string | null;
  runsQueued: number;
  runsRunning: number;
  runsWaiting: number;
  outboxQueued: number;
  deliveriesPending: number;
  deliveriesDead: number;
}

export interface AlertRuleInput {
  id: string;
  name: string;
  metric: string;
  comparison: string;
  threshold: number;
  durationSeconds: number;
  notifyKind: string;
  notifyTarget: string;
  enabled: boolean;
}
export type AlertRulePatch = Partial<Omit<AlertRuleInput, 'id'>>;

/**
 * A notice is tried this many times in a row (one try per claim lease, 30 s in the server: about ten
 * minutes), then given up; the incident keeps the last error.
 */
export const MAX_NOTICE_ATTEMPTS = 20;

/** A notice owed for an incident: the "firing" one, or the "resolved" one. */
export interface OwedNotice {
  incident: AlertIncidentRow;
  kind: 'firing' | 'resolved';
}

/** Which incidents owe a notice (the open one first, the resolved one after it). */
export function owesNotice(t: typeof alertIncidents | NoticeColumns) {
  return or(isNull(t.openNotifiedAt), and(eq(t.status, 'resolved'), isNull(t.resolveNotifiedAt)));
}
// biome-ignore lint/suspicious/noExplicitAny: the Postgres table has the same columns in its dialect
type NoticeColumns = Record<'openNotifiedAt' | 'status' | 'resolveNotifiedAt', any>;

export const noticeKind = (i: AlertIncidentRow): OwedNotice['kind'] =>
  i.openNotifiedAt === null ? 'firing' : 'resolved';

export const incidentValues = (rule: AlertRuleRow, id: string, value: number, at: string) => ({
  id,
  ruleId: rule.id,
  ruleName: rule.name,
  metric: rule.metric,
  comparison: rule.comparison,
  threshold: rule.threshold,
  status: 'open',
  openKey: rule.id,
  openedAt: at,
  openedValue: value,
});

/**
 * Monitoring samples (counters per process and bucket, gauges per bucket), the queue figures read
 * from the database, alert rules with their shared breach state, and incidents: one open per rule
 * (unique `open_key`), each with its firing and resolved notices claimed by one process at a time.
 */
export class MonitoringRepository {
  constructor(private readonly db: Db) {}

  /** Adds counters to their process's rows (`add`) or writes gauges (`set`), in one transaction. */
  addSamples(samples: Sample[], mode: 'add' | 'set' = 'add'): void {
    if (samples.length === 0) return;
    this.db.transaction((tx) => {
      for (const s of samples)
        tx.insert(monitoringSamples)
          .values(s)
          .onConflictDoUpdate({
            target: [
              monitoringSamples.bucketAt,
              monitoringSamples.metric,
              monitoringSamples.label,
              monitoringSamples.process,
            ],
            set: { value: mode === 'add' ? sql`${monitoringSamples.value} + excluded.value` : s.value },
          })
          .run();
    });
  }

  /** Every bucket's figures from `from` (inclusive) on, summed over processes, oldest first. */
  samplesSince(from: string): SummedSample[] {
    return this.db
      .select({
        bucketAt: monitoringSamples.bucketAt,
        metric: monitoringSamples.metric,
        label: monitoringSamples.label,
        value: sql<number>`sum(${monitoringSamples.value})`.mapWith(Number),
      })
      .from(monitoringSamples)
      .where(gte(monitoringSamples.bucketAt, from))
      .groupBy(monitoringSamples.bucketAt, monitoringSamples.metric, monitoringSamples.label)
      .orderBy(asc(monitoringSamples.bucketAt))
      .all();
  }

  /** Drops buckets older than `before`; returns how many rows went. */
  pruneSamples(before: string): number {
    return this.db.delete(monitoringSamples).where(lt(monitoringSamples.bucketAt, before)).run().changes;
  }

  queueFigures(): QueueFigures {
    const pending = this.db
      .select({ n: count(), oldest: min(inboundEvents.receivedAt) })
      .from(inboundEvents)
      .where(eq(inboundEvents.status, 'pending'))
      .get();
    const byStatus = (rows: Array<{ status: string; n: number }>, status: string) =>
      rows.find((r) => r.status === status)?.n ?? 0;
    const runRows = this.db
      .select({ status: runs.status, n: count() })
      .from(runs)
      .where(sql`${runs.status} in ('queued', 'running', 'waiting')`)
      .groupBy(runs.status)
      .all();
    const outboxRows = this.db
      .select({ status: outbox.status, n: count() })
      .from(outbox)
      .where(eq(outbox.status, 'queued'))
      .groupBy(outbox.status)
      .all();
    const deliveryRows = this.db
      .select({ status: subscriptionDeliveries.status, n: count() })
      .from(subscriptionDeliveries)
      .where(sql`${subscriptionDeliveries.status} in ('pending', 'delivering', 'dead')`)
      .groupBy(subscriptionDeliveries.status)
      .all();
    return {
      eventsPending: pending?.n ?? 0,
      oldestPendingAt: pending?.oldest ?? null,
      runsQueued: byStatus(runRows, 'queued'),
      runsRunning: byStatus(runRows, 'running'),
      runsWaiting: byStatus(runRows, 'waiting'),
      outboxQueued: byStatus(outboxRows, 'queued'),
      deliveriesPending: byStatus(deliveryRows, 'pending') + byStatus(deliveryRows, 'delivering'),
      deliveriesDead: byStatus(deliveryRows, 'dead'),
    };
  }

  createRule(input: AlertRuleInput, at: string): AlertRuleRow {
    return this.db
      .insert(alertRules)
      .values({ ...input, createdAt: at, updatedAt: at })
      .returning()
      .get();
  }

  getRule(id: string): AlertRuleRow | undefined {
    return this.db.select().from(alertRules).where(eq(alertRules.id, id)).get();
  }

  listRules(): AlertRuleRow[] {
    return this.db.select().from(alertRules).orderBy(asc(alertRules.createdAt), asc(alertRules.id)).all();
  }

  /** Updates a rule; its breach state starts again (the condition may have changed). */
  updateRule(id: string, patch: AlertRulePatch, at: string): AlertRuleRow | undefined {
    return this.db
      .update(alertRules)
      .set({ ...patch, breachingSince: null, updatedAt: at })
      .where(eq(alertRules.id, id))
      .returning()
      .get();
  }

  /** Removes a rule; its incidents stay as history. */
  removeRule(id: string): boolean {
    return this.db.delete(alertRules).where(eq(alertRules.id, id)).run().changes > 0;
  }

  /** Records that the rule's condition holds since `at`, unless it already did; returns the start. */
  markBreaching(id: string, at: string): string | null {
    this.db
      .update(alertRules)
      .set({ breachingSince: at })
      .where(and(eq(alertRules.id, id), isNull(alertRules.breachingSince)))
      .run();
    return this.getRule(id)?.breachingSince ?? null;
  }

  clearBreaching(id: string): void {
    this.db.update(alertRules).set({ breachingSince: null }).where(eq(alertRules.id, id)).run();
  }

  /** Opens the rule's incident; undefined when one is open already (another process opened it). */
  openIncident(rule: AlertRuleRow, id: string, value: number, at: string): AlertIncidentRow | undefined {
    return this.db
      .insert(alertIncidents)
      .values(incidentValues(rule, id, value, at))
      .onConflictDoNothing()
      .returning()
      .get();
  }

  /**
   * Resolves the rule's open incident; undefined when none is open. `notify: false` (a rule disabled
   * or deleted) owes no "resolved" notice.
   */
  resolveIncident(
    ruleId: string,
    value: number | null,
    at: string,
    notify = true,
  ): AlertIncidentRow | undefined {
    return this.db
      .update(alertIncidents)
      .set({
        status: 'resolved',
        openKey: null,
        resolvedAt: at,
        resolvedValue: value,
        ...(notify ? {} : { resolveNotifiedAt: at }),
      })
      .where(eq(alertIncidents.openKey, ruleId))
      .returning()
      .get();
  }

  /** Incidents, newest first; `status` filters open or resolved ones. */
  listIncidents(
    options: { status?: 'open' | 'resolved'; ruleId?: string; limit?: number } = {},
  ): AlertIncidentRow[] {
    return this.db
      .select()
      .from(alertIncidents)
      .where(
        and(
          options.status ? eq(alertIncidents.status, options.status) : undefined,
          options.ruleId ? eq(alertIncidents.ruleId, options.ruleId) : undefined,
        ),
      )
      .orderBy(desc(alertIncidents.openedAt), desc(alertIncidents.id))
      .limit(options.limit ?? 100)
      .all();
  }

  /**
   * Claims up to `limit` owed notices whose claim is free or lapsed, until `now + leaseMs`: the claimer
   * sends them and records each (`noticeSent`), or lets the claim lapse so another try comes later.
   */
  claimNotices(now: string, leaseMs: number, limit = 20): OwedNotice[] {
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    return this.db.transaction(
      (tx) => {
        const due = tx
          .select()
          .from(alertIncidents)
          .where(
            and(
              owesNotice(alertIncidents),
              lt(alertIncidents.noticeAttempts, MAX_NOTICE_ATTEMPTS),
              or(isNull(alertIncidents.noticeClaimUntil), lte(alertIncidents.noticeClaimUntil, now)),
            ),
          )
          .orderBy(asc(alertIncidents.openedAt))
          .limit(limit)
          .all();
        return due.map((i) => {
          const row = tx
            .update(alertIncidents)
            .set({ noticeClaimUntil: until, noticeAttempts: sql`${alertIncidents.noticeAttempts} + 1` })
            .where(eq(alertIncidents.id, i.id))
            .returning()
            .get()!;
          return { incident: row, kind: noticeKind(row) };
        });
      },
      { behavior: 'immediate' },
    );
  }

  /** Records a delivered notice and frees the claim. */
  noticeSent(id: string, kind: OwedNotice['kind'], at: string): void {
    this.db
      .update(alertIncidents)
      .set({
        ...(kind === 'firing' ? { openNotifiedAt: at } : { resolveNotifiedAt: at }),
        noticeClaimUntil: null,
        noticeAttempts: 0,
        lastNoticeError: null,
      })
      .where(eq(alertIncidents.id, id))
      .run();
  }

  /** Records why a notice failed; the claim stays until it lapses (the retry's pause). */
  noticeFailed(id: string, error: string): void {
    this.db.update(alertIncidents).set({ lastNoticeError: error }).where(eq(alertIncidents.id, id)).run();
  }
}
