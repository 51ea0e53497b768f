import { randomUUID } from 'node:crypto';
import type { AlertIncidentRow, AlertRuleRow } from '@switchboard/db';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { ALERT_METRICS, AlertMetric, COMPARISONS } from '../monitoring/index.js';
import { ADMINS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const TAG = 'alerts';

const RuleBody = z.object({
  id: z.string(),
  name: z.string(),
  metric: z.string(),
  comparison: z.string(),
  threshold: z.number(),
  durationSeconds: z.number(),
  notify: z.object({ kind: z.enum(['slack', 'http']), target: z.string() }),
  enabled: z.boolean(),
  breachingSince: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const IncidentBody = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  metric: z.string(),
  comparison: z.string(),
  threshold: z.number(),
  status: z.enum(['open', 'resolved']),
  openedAt: z.string(),
  openedValue: z.number(),
  resolvedAt: z.string().nullable(),
  resolvedValue: z.number().nullable(),
  firingNotifiedAt: z.string().nullable(),
  resolvedNotifiedAt: z.string().nullable(),
  lastNoticeError: z.string().nullable(),
});
const Notify = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('slack'),
    target: z.string().min(1).max(200).describe("the name of a stored credential of type 'slack'"),
  }),
  z.object({
    kind: z.literal('http'),
    target: z.string().max(2_000).describe('an http(s) URL; JSON is POSTed to it'),
  }),
]);
const Fields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  metric: AlertMetric,
  comparison: z.enum(COMPARISONS, { message: `must be one of ${COMPARISONS.join(' ')}` }),
  threshold: z.number().finite(),
  durationSeconds: z.number().int().min(0).max(86_400).describe('how long the condition must hold'),
  notify: Notify,
  enabled: z.boolean(),
};
const NewBody = z.object({ ...Fields, enabled: Fields.enabled.optional() });
const PatchBody = z.object(Fields).partial().strict();
const IdParams = z.object({ id: z.string().max(100) });

const ruleView = (r: AlertRuleRow) => ({
  id: r.id,
  name: r.name,
  metric: r.metric,
  comparison: r.comparison,
  threshold: r.threshold,
  durationSeconds: r.durationSeconds,
  notify: { kind: r.notifyKind as 'slack' | 'http', target: r.notifyTarget },
  enabled: r.enabled,
  breachingSince: r.breachingSince,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
const incidentView = (i: AlertIncidentRow) => ({
  id: i.id,
  ruleId: i.ruleId,
  ruleName: i.ruleName,
  metric: i.metric,
  comparison: i.comparison,
  threshold: i.threshold,
  status: i.status as 'open' | 'resolved',
  openedAt: i.openedAt,
  openedValue: i.openedValue,
  resolvedAt: i.resolvedAt,
  resolvedValue: i.resolvedValue,
  firingNotifiedAt: i.openNotifiedAt,
  resolvedNotifiedAt: i.resolveNotifiedAt,
  lastNoticeError: i.lastNoticeError,
});

/**
 * Alert rules (docs/monitoring.md): a metric, a comparison, a threshold and how long it must hold;
 * notices go to Slack (a stored credential) or an HTTP endpoint (through the outbound guard), once
 * when an incident opens and once when it resolves.
 */
export function alertRoutes(api: Api, rt: Runtime): void {
  const repo = rt.database.repos.monitoring;

  /** Where a notice would go, checked: the problems, or none. */
  async function targetProblems(notify: z.infer<typeof Notify>) {
    const path = '$.body.notify.target';
    if (notify.kind === 'slack') {
      const found = await rt.credentials.info(notify.target);
      if (!found) return [{ path, message: `no credential named "${notify.target}"` }];
      if (found.type !== 'slack')
        return [{ path, message: `credential "${notify.target}" is of type ${found.type}, not slack` }];
      return [];
    }
    let url: URL;
    try {
      url = new URL(notify.target);
    } catch {
      return [{ path, message: 'must be an absolute http(s) URL' }];
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return [{ path, message: 'must be an http(s) URL' }];
    return [];
  }
  const unprocessable = (
    res: Parameters<typeof sendError>[0],
    problems: Array<{ path: string; message: string }>,
  ) => sendError(res, 422, 'invalid_rule', problems.map((p) => p.message).join('; '), problems);
  const notFound = (res: Parameters<typeof sendError>[0], id: string) =>
    sendError(res, 404, 'not_found', `no alert rule "${id}"`);

  api.add({
    method: 'get',
    path: '/api/alerts',
    roles: ADMINS,
    tag: TAG,
    summary: 'Alert rules, and the metrics a rule can watch',
    responses: {
      200: {
        description: 'Rules',
        schema: z.object({
          items: z.array(RuleBody),
          metrics: z.array(
            z.object({ name: z.string(), kind: z.string(), unit: z.string(), help: z.string() }),
          ),
        }),
      },
    },
    handler: async (_, res) => {
      res.json({
        items: (await repo.listRules()).map(ruleView),
        metrics: Object.entries(ALERT_METRICS).map(([name, m]) => ({ name, ...m })),
      });
    },
  });

  api.add({
    method: 'post',
    path: '/api/alerts',
    roles: ADMINS,
    tag: TAG,
    summary: 'Create an alert rule',
    body: NewBody,
    responses: {
      201: { description: 'Created', schema: RuleBody },
      422: {
        description: 'invalid_rule: the notice target does not exist or is not usable',
        schema: ErrorBody,
      },
    },
    handler: async ({ body, req }, res) => {
      const problems = await targetProblems(body.notify);
      if (problems.length > 0) return unprocessable(res, problems);
      const created = await repo.createRule(
        {
          id: `alr_${randomUUID()}`,
          name: body.name,
          metric: body.metric,
          comparison: body.comparison,
          threshold: body.threshold,
          durationSeconds: body.durationSeconds,
          notifyKind: body.notify.kind,
          notifyTarget: body.notify.target,
          enabled: body.enabled ?? true,
        },
        new Date().toISOString(),
      );
      await rt.audit.request(
        req,
        res,
        'alert_rule.created',
        { kind: 'alert_rule', id: created.id },
        {
          metric: created.metric,
          notify: created.notifyKind,
        },
      );
      res.status(201).json(ruleView(created));
    },
  });

  // Before `/api/alerts/:id`, which would take `incidents` for a rule id.
  api.add({
    method: 'get',
    path: '/api/alerts/incidents',
    roles: ADMINS,
    tag: TAG,
    summary: 'Incidents, newest first: open ones and the past',
    query: z.object({
      status: z.enum(['open', 'resolved']).optional(),
      ruleId: z.string().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: { 200: { description: 'Incidents', schema: z.object({ items: z.array(IncidentBody) }) } },
    handler: async ({ query }, res) => {
      const items = await repo.listIncidents({
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.ruleId ? { ruleId: query.ruleId } : {}),
      });
      res.json({ items: items.map(incidentView) });
    },
  });

  api.add({
    method: 'get',
    path: '/api/alerts/:id',
    roles: ADMINS,
    tag: TAG,
    summary: 'One alert rule',
    params: IdParams,
    responses: {
      200: { description: 'The rule', schema: RuleBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const found = await repo.getRule(params.id);
      if (!found) return notFound(res, params.id);
      res.json(ruleView(found));
    },
  });

  api.add({
    method: 'patch',
    path: '/api/alerts/:id',
    roles: ADMINS,
    tag: TAG,
    summary:
      'Change or disable a rule (its breach timer starts again; disabling ends an open incident quietly)',
    params: IdParams,
    body: PatchBody,
    responses: {
      200: { description: 'Changed', schema: RuleBody },
      404: { description: 'Unknown', schema: ErrorBody },
      422: { description: 'invalid_rule', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      if (!(await repo.getRule(params.id))) return notFound(res, params.id);
      if (body.notify) {
        const problems = await targetProblems(body.notify);
        if (problems.length > 0) return unprocessable(res, problems);
      }
      const { notify, ...rest } = body;
      const updated = await repo.updateRule(
        params.id,
        { ...rest, ...(notify ? { notifyKind: notify.kind, notifyTarget: notify.target } : {}) },
        new Date().toISOString(),
      );
      if (!updated) return notFound(res, params.id);
      await rt.audit.request(
        req,
        res,
        'alert_rule.updated',
        { kind: 'alert_rule', id: params.id },
        {
          changed: Object.keys(body),
        },
      );
      res.json(ruleView(updated));
    },
  });

  api.add({
    method: 'delete',
    path: '/api/alerts/:id',
    roles: ADMINS,
    tag: TAG,
    summary: 'Remove a rule; its incidents stay as history (an open one ends without a notice)',
    params: IdParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'Unknown', schema: ErrorBody } },
    handler: async ({ params, req }, res) => {
      if (!(await repo.removeRule(params.id))) return notFound(res, params.id);
      await repo.resolveIncident(params.id, null, new Date().toISOString(), false);
      await rt.audit.request(req, res, 'alert_rule.deleted', { kind: 'alert_rule', id: params.id }, null);
      res.status(204).end();
    },
  });
}
