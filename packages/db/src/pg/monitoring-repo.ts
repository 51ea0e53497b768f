// Differs from SQLite only in mechanism: notice claims lock the rows they take (`for update skip
// locked`), so processes evaluating alerts together never send the same notice twice.
import { and, asc, count, desc, eq, gte, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import {
  type AlertIncidentRow,
  type AlertRuleInput,
  type AlertRulePatch,
  type AlertRuleRow,
  incidentValues,
  MAX_NOTICE_ATTEMPTS,
  type MonitoringRepository,
  noticeKind,
  type OwedNotice,
  owesNotice,
  type QueueFigures,
  type Sample,
  type SummedSample,
} from '../monitoring-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { runs } from './schema.js';
import { inboundEvents, outbox } from './tables/messaging.js';
import { alertIncidents, alertRules, monitoringSamples } from './tables/monitoring.js';
import { subscriptionDeliveries } from './tables/subscriptions.js';

export class PgMonitoringRepository implements AsyncOf<MonitoringRepository> {
  constructor(private readonly db: PgSession) {}

  async addSamples(samples: Sample[], mode: 'add' | 'set' = 'add'): Promise<void> {
    if (samples.length === 0) return;
    // One statement: rows in a stable order, so concurrent flushes of several processes never deadlock.
    const rows = [...samples].sort((a, b) =>
      `${a.bucketAt}|${a.metric}|${a.label}|${a.process}`.localeCompare(
        `${b.bucketAt}|${b.metric}|${b.label}|${b.process}`,
      ),
    );
    await this.db
      .insert(monitoringSamples)
      .values(rows)
      .onConflictDoUpdate({
        target: [
          monitoringSamples.bucketAt,
          monitoringSamples.metric,
          monitoringSamples.label,
          monitoringSamples.process,
        ],
        set: {
          value: mode === 'add' ? sql`${monitoringSamples.value} + excluded.value` : sql`excluded.value`,
        },
      });
  }

  async samplesSince(from: string): Promise<SummedSample[]> {
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
      .orderBy(asc(monitoringSamples.bucketAt));
  }

  async pruneSamples(before: string): Promise<number> {
    const gone = await this.db
      .delete(monitoringSamples)
      .where(lt(monitoringSamples.bucketAt, before))
      .returning({ m: monitoringSamples.metric });
    return gone.length;
  }

  async queueFigures(): Promise<QueueFigures> {
    const [pending] = await this.db
      .select({ n: count(), oldest: min(inboundEvents.receivedAt) })
      .from(inboundEvents)
      .where(eq(inboundEvents.status, 'pending'));
    const byStatus = (rows: Array<{ status: string; n: number }>, status: string) =>
      rows.find((r) => r.status === status)?.n ?? 0;
    const runRows = await this.db
      .select({ status: runs.status, n: count() })
      .from(runs)
      .where(sql`${runs.status} in ('queued', 'running', 'waiting')`)
      .groupBy(runs.status);
    const outboxRows = await this.db
      .select({ status: outbox.status, n: count() })
      .from(outbox)
      .where(eq(outbox.status, 'queued'))
      .groupBy(outbox.status);
    const deliveryRows = await this.db
      .select({ status: subscriptionDeliveries.status, n: count() })
      .from(subscriptionDeliveries)
      .where(sql`${subscriptionDeliveries.status} in ('pending', 'delivering', 'dead')`)
      .groupBy(subscriptionDeliveries.status);
    const oldest = pending?.oldest as unknown;
    return {
      eventsPending: pending?.n ?? 0,
      // min() of a timestamptz comes back as the driver's value, not through the column's mapping.
      oldestPendingAt:
        oldest === null || oldest === undefined ? null : new Date(oldest as string | Date).toISOString(),
      runsQueued: byStatus(runRows, 'queued'),
      runsRunning: byStatus(runRows, 'running'),
      runsWaiting: byStatus(runRows, 'waiting'),
      outboxQueued: byStatus(outboxRows, 'queued'),
      deliveriesPending: byStatus(deliveryRows, 'pending') + byStatus(deliveryRows, 'delivering'),
      deliveriesDead: byStatus(deliveryRows, 'dead'),
    };
  }

  async createRule(input: AlertRuleInput, at: string): Promise<AlertRuleRow> {
    const [row] = await this.db
      .insert(alertRules)
      .values({ ...input, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  }

  async getRule(id: string): Promise<AlertRuleRow | undefined> {
    const [row] = await this.db.select().from(alertRules).where(eq(alertRules.id, id));
    return row;
  }

  async listRules(): Promise<AlertRuleRow[]> {
    return this.db.select().from(alertRules).orderBy(asc(alertRules.createdAt), asc(alertRules.id));
  }

  async updateRule(id: string, patch: AlertRulePatch, at: string): Promise<AlertRuleRow | undefined> {
    const [row] = await this.db
      .update(alertRules)
      .set({ ...patch, breachingSince: null, updatedAt: at })
      .where(eq(alertRules.id, id))
      .returning();
    return row;
  }

  async removeRule(id: string): Promise<boolean> {
    const gone = await this.db
      .delete(alertRules)
      .where(eq(alertRules.id, id))
      .returning({ id: alertRules.id });
    return gone.length > 0;
  }

  async markBreaching(id: string, at: string): Promise<string | null> {
    await this.db
      .update(alertRules)
      .set({ breachingSince: at })
      .where(and(eq(alertRules.id, id), isNull(alertRules.breachingSince)));
    return (await this.getRule(id))?.breachingSince ?? null;
  }

  async clearBreaching(id: string): Promise<void> {
    await this.db.update(alertRules).set({ breachingSince: null }).where(eq(alertRules.id, id));
  }

  async openIncident(
    rule: AlertRuleRow,
    id: string,
    value: number,
    at: string,
  ): Promise<AlertIncidentRow | undefined> {
    const [row] = await this.db
      .insert(alertIncidents)
      .values(incidentValues(rule, id, value, at))
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async resolveIncident(
    ruleId: string,
    value: number | null,
    at: string,
    notify = true,
  ): Promise<AlertIncidentRow | undefined> {
    const [row] = await this.db
      .update(alertIncidents)
      .set({
        status: 'resolved',
        openKey: null,
        resolvedAt: at,
        resolvedValue: value,
        ...(notify ? {} : { resolveNotifiedAt: at }),
      })
      .where(eq(alertIncidents.openKey, ruleId))
      .returning();
    return row;
  }

  async listIncidents(
    options: { status?: 'open' | 'resolved'; ruleId?: string; limit?: number } = {},
  ): Promise<AlertIncidentRow[]> {
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
      .limit(options.limit ?? 100);
  }

  async claimNotices(now: string, leaseMs: number, limit = 20): Promise<OwedNotice[]> {
    const until = new Date(Date.parse(now) + leaseMs).toISOString();
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: alertIncidents.id })
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
        .for('update', { skipLocked: true });
      const claimed: OwedNotice[] = [];
      for (const { id } of due) {
        const [row] = await tx
          .update(alertIncidents)
          .set({ noticeClaimUntil: until, noticeAttempts: sql`${alertIncidents.noticeAttempts} + 1` })
          .where(eq(alertIncidents.id, id))
          .returning();
        claimed.push({ incident: row!, kind: noticeKind(row!) });
      }
      return claimed;
    });
  }

  async noticeSent(id: string, kind: OwedNotice['kind'], at: string): Promise<void> {
    await this.db
      .update(alertIncidents)
      .set({
        ...(kind === 'firing' ? { openNotifiedAt: at } : { resolveNotifiedAt: at }),
        noticeClaimUntil: null,
        noticeAttempts: 0,
        lastNoticeError: null,
      })
      .where(eq(alertIncidents.id, id));
  }

  async noticeFailed(id: string, error: string): Promise<void> {
    await this.db.update(alertIncidents).set({ lastNoticeError: error }).where(eq(alertIncidents.id, id));
  }
}
