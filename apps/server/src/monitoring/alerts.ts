import { randomUUID } from 'node:crypto';
import type { AlertRuleRow, AsyncOf, MonitoringRepository } from '@switchboard/db';
import type { HttpService } from '@switchboard/nodes';
import type { AppLogger } from '../logger.js';
import { type AlertMetric, type Comparison, holds } from './catalog.js';
import { alertValue } from './figures.js';
import { sendNotice } from './notify.js';

/** A notice being sent is held this long; one that failed is tried again when the hold lapses. */
export const NOTICE_LEASE_MS = 30_000;

export interface AlertDeps {
  repo: AsyncOf<MonitoringRepository>;
  http: () => HttpService;
  logger: AppLogger;
  /** Rate figures are measured over this window (SWITCHBOARD_ALERT_WINDOW_MS). */
  windowMs: number;
  /** Where the notices link to (the monitoring page). */
  link: () => string;
  now?: () => Date;
}

/**
 * Evaluates every enabled rule once. The state lives in the database, shared by every process that
 * evaluates: when the condition holds, the rule's `breaching_since` is set (once); when it has held for
 * the rule's duration, the incident opens (one per rule: of several processes only one insert wins);
 * when it no longer holds, the breach clears and the open incident resolves. Returns whether any
 * incident opened or resolved (notices are owed).
 */
export async function evaluateRules(deps: AlertDeps): Promise<boolean> {
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const rules = await deps.repo.listRules();
  let changed = false;
  for (const rule of rules.filter((r) => !r.enabled)) {
    // A disabled rule's open incident ends without a notice; it is not evaluated.
    if (await deps.repo.resolveIncident(rule.id, null, at, false)) changed = true;
    if (rule.breachingSince) await deps.repo.clearBreaching(rule.id);
  }
  const enabled = rules.filter((r) => r.enabled);
  if (enabled.length === 0) return changed;
  const samples = await deps.repo.samplesSince(new Date(now.getTime() - deps.windowMs).toISOString());
  const queues = await deps.repo.queueFigures();
  for (const rule of enabled) {
    const value = alertValue(rule.metric as AlertMetric, samples, queues, now);
    if (holds(value, rule.comparison as Comparison, rule.threshold)) {
      const since = await deps.repo.markBreaching(rule.id, at);
      const heldMs = since ? now.getTime() - Date.parse(since) : 0;
      if (heldMs >= rule.durationSeconds * 1000) {
        const opened = await deps.repo.openIncident(rule, `inc_${randomUUID()}`, value, at);
        if (opened) {
          changed = true;
          deps.logger.warn({ rule: rule.name, metric: rule.metric, value }, 'alert firing');
        }
      }
    } else {
      if (rule.breachingSince) await deps.repo.clearBreaching(rule.id);
      const resolved = await deps.repo.resolveIncident(rule.id, value, at);
      if (resolved) {
        changed = true;
        deps.logger.info({ rule: rule.name, metric: rule.metric, value }, 'alert resolved');
      }
    }
  }
  return changed;
}

/**
 * Sends the notices owed (firing, then resolved), each claimed by one process; a delivered one is
 * recorded and never sent again, also after a restart. A failed one is retried when its claim lapses.
 */
export async function sendOwedNotices(deps: AlertDeps): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const owed = await deps.repo.claimNotices(now.toISOString(), NOTICE_LEASE_MS);
  const rules = new Map<string, AlertRuleRow | undefined>();
  for (const { incident, kind } of owed) {
    if (!rules.has(incident.ruleId)) rules.set(incident.ruleId, await deps.repo.getRule(incident.ruleId));
    const rule = rules.get(incident.ruleId);
    const at = () => (deps.now ?? (() => new Date()))().toISOString();
    if (!rule) {
      // The rule was deleted: nobody to tell.
      await deps.repo.noticeSent(incident.id, kind, at());
      continue;
    }
    const outcome = await sendNotice(deps.http(), rule, incident, kind, deps.link()).catch(
      (error: unknown) => ({
        ok: false as const,
        reason: 'network' as const,
        status: null,
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    if (outcome.ok) {
      await deps.repo.noticeSent(incident.id, kind, at());
    } else {
      await deps.repo.noticeFailed(incident.id, outcome.message);
      deps.logger.warn(
        { rule: rule.name, incident: incident.id, kind, reason: outcome.reason, error: outcome.message },
        'alert notice not delivered; will retry',
      );
    }
  }
  return owed.length;
}
