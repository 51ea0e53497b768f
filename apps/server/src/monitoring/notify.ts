import type { AlertIncidentRow, AlertRuleRow } from '@switchboard/db';
import { escapeMrkdwn, type HttpOutcome, type HttpService, slackLink } from '@switchboard/nodes';
import { ALERT_METRICS, type AlertMetric } from './catalog.js';

const NOTICE_TIMEOUT_MS = 10_000;

const round = (n: number) => Math.round(n * 100) / 100;

/** What a notice says: its title and the condition with the value, times included. */
function noticeParts(incident: AlertIncidentRow, kind: 'firing' | 'resolved') {
  const unit = ALERT_METRICS[incident.metric as AlertMetric]?.unit ?? '';
  const shown = (v: number) => `${round(v)}${unit === '%' ? '%' : unit === 'count' ? '' : ` ${unit}`}`;
  const condition = `${incident.metric} ${incident.comparison} ${shown(incident.threshold)}`;
  return kind === 'firing'
    ? {
        title: `Alert firing: ${incident.ruleName}`,
        detail: `(${condition}; now ${shown(incident.openedValue)}) since ${incident.openedAt}.`,
      }
    : {
        title: `Alert resolved: ${incident.ruleName}`,
        detail: `(${condition}; now ${shown(incident.resolvedValue ?? 0)}) at ${incident.resolvedAt}, open since ${incident.openedAt}.`,
      };
}

/** The notice's one-line plain text: `text` in the HTTP body. */
function noticeText(incident: AlertIncidentRow, kind: 'firing' | 'resolved', link: string): string {
  const { title, detail } = noticeParts(incident, kind);
  return `${title} ${detail} ${link}`;
}

/**
 * The notice as Slack mrkdwn: the rule's name and the comparison escaped (a name with `<!channel>`
 * must not ping the channel, and `<`/`>` are Slack's link brackets), the title bold, the link named.
 */
function slackNoticeText(incident: AlertIncidentRow, kind: 'firing' | 'resolved', link: string): string {
  const { title, detail } = noticeParts(incident, kind);
  const icon = kind === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  return `${icon} *${escapeMrkdwn(title)}* ${escapeMrkdwn(detail)} ${slackLink(link, 'Open monitoring')}`;
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
  if (target.notifyKind === 'slack')
    return http.request({
      method: 'POST',
      url: '',
      credential: target.notifyTarget,
      credentialTypes: ['slack'],
      body: { text: slackNoticeText(incident, kind, link) },
      timeoutMs: NOTICE_TIMEOUT_MS,
    });
  return http.request({
    method: 'POST',
    url: target.notifyTarget,
    headers: { 'x-switchboard-alert': kind },
    body: {
      type: `alert.${kind}`,
      text: noticeText(incident, kind, link),
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
