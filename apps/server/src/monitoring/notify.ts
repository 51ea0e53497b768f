import type { AlertIncidentRow, AlertRuleRow } from '@switchboard/db';
import type { HttpOutcome, HttpService } from '@switchboard/nodes';
import { ALERT_METRICS, type AlertMetric } from './catalog.js';

const NOTICE_TIMEOUT_MS = 10_000;

const round = (n: number) => Math.round(n * 100) / 100;

/** The notice's one-line text, for Slack and as `text` in the HTTP body. */
export function noticeText(incident: AlertIncidentRow, kind: 'firing' | 'resolved', link: string): string {
  const unit = ALERT_METRICS[incident.metric as AlertMetric]?.unit ?? '';
  const shown = (v: number) => `${round(v)}${unit === '%' ? '%' : unit === 'count' ? '' : ` ${unit}`}`;
  const condition = `${incident.metric} ${incident.comparison} ${shown(incident.threshold)}`;
  return kind === 'firing'
    ? `Alert firing: ${incident.ruleName} (${condition}; now ${shown(incident.openedValue)}) since ${incident.openedAt}. ${link}`
    : `Alert resolved: ${incident.ruleName} (${condition}; now ${shown(incident.resolvedValue ?? 0)}) at ${incident.resolvedAt}, open since ${incident.openedAt}. ${link}`;
}

/**
 * Sends one notice through the outbound HTTP client (the outbound guard applies; the Slack URL stays
 * in its credential). A non-2xx answer is a failure, retried when the claim lapses.
 */
export async function sendNotice(
  http: HttpService,
  target: Pick<AlertRuleRow, 'notifyKind' | 'notifyTarget'>,
  incident: AlertIncidentRow,
  kind: 'firing' | 'resolved',
  link: string,
): Promise<HttpOutcome> {
  const text = noticeText(incident, kind, link);
  if (target.notifyKind === 'slack')
    return http.request({
      method: 'POST',
      url: '',
      credential: target.notifyTarget,
      credentialTypes: ['slack'],
      body: { text },
      timeoutMs: NOTICE_TIMEOUT_MS,
    });
  return http.request({
    method: 'POST',
    url: target.notifyTarget,
    headers: { 'x-switchboard-alert': kind },
    body: {
      type: `alert.${kind}`,
      text,
      link,
      incident: {
        id: incident.id,
        ruleId: incident.ruleId,
        ruleName: incident.ruleName,
        metric: incident.metric,
        comparison: incident.comparison,
        threshold: incident.threshold,
        status: kind === 'firing' ? 'open' : 'resolved',
        openedAt: incident.openedAt,
        openedValue: incident.openedValue,
        resolvedAt: incident.resolvedAt,
        resolvedValue: incident.resolvedValue,
      },
    },
    timeoutMs: NOTICE_TIMEOUT_MS,
  });
}
