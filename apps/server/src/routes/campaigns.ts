import { type CampaignRow, type Contact, CursorError } from '@switchboard/db';
import { z } from 'zod';
import { type Api, ErrorBody, type Problem, sendError } from '../api.js';
import { skipReason } from '../campaigns/eligibility.js';
import {
  type Audience as AudienceValue,
  CampaignConflict,
  CampaignInvalid,
  type CampaignTemplateSpec,
  resolveCampaignTemplate,
} from '../campaigns/index.js';
import type { StoredCampaignTemplate } from '../campaigns/template.js';
import type { SegmentFilter } from '../contacts/segment-filter.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';
import {
  AudienceBody,
  CampaignBody,
  Counts,
  HHMM,
  IdParams,
  ListQuery,
  NewBody,
  PatchBody,
  ReasonCount,
  RecipientStates,
  RecipientsQuery,
  TemplateInput,
} from './campaign-bodies.js';

const TAG = 'campaigns';

type Body = z.output<typeof NewBody>;

/** Broadcast campaigns (docs/campaigns.md): one approved template to a snapshot of contacts. */
export function campaignRoutes(api: Api, rt: Runtime): void {
  const repo = rt.database.repos.campaigns;
  const service = rt.campaigns;
  type Res = Parameters<typeof sendError>[0];
  const notFound = (res: Res, id: string) => sendError(res, 404, 'not_found', `no campaign ${id}`);
  const invalid = (res: Res, problems: Problem[]) =>
    sendError(
      res,
      422,
      'invalid_campaign',
      problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      problems,
    );
  const conflict = (res: Res, code: string, message: string) => sendError(res, 409, code, message);

  /** Everything a campaign names, checked: channel, template, segment, flow, schedule. */
  async function check(body: Body): Promise<{ problems: Problem[]; template?: StoredCampaignTemplate }> {
    const problems: Problem[] = [];
    if (!rt.channels.get(body.channelId))
      return { problems: [{ path: '$.body.channelId', message: `no channel "${body.channelId}"` }] };
    const resolved = await resolveCampaignTemplate(
      rt.database.repos,
      body.channelId,
      body.template as CampaignTemplateSpec,
    );
    if (!resolved.ok) problems.push(...resolved.problems);
    if ('segmentId' in body.audience && !(await rt.database.repos.segments.get(body.audience.segmentId)))
      problems.push({ path: '$.body.audience.segmentId', message: `no segment ${body.audience.segmentId}` });
    if (body.replyFlowId !== null && !(await rt.database.repos.flows.get(body.replyFlowId)))
      problems.push({ path: '$.body.replyFlowId', message: `no flow ${body.replyFlowId}` });
    const { startAt, localHours } = body.schedule;
    if (startAt !== null && (!/^\d{4}-\d\d-\d\dT/.test(startAt) || Number.isNaN(Date.parse(startAt))))
      problems.push({
        path: '$.body.schedule.startAt',
        message: 'must be an ISO-8601 date and time, e.g. 2026-12-24T09:00:00Z',
      });
    if (localHours) {
      for (const key of ['from', 'to'] as const)
        if (!HHMM.test(localHours[key]))
          problems.push({
            path: `$.body.schedule.localHours.${key}`,
            message: `"${localHours[key]}" is not a time of day: use HH:MM, 00:00 to 23:59`,
          });
      if (localHours.from === localHours.to)
        problems.push({ path: '$.body.schedule.localHours', message: 'from and to must differ' });
    }
    return resolved.ok ? { problems, template: resolved.template } : { problems };
  }

  const bodyOf = (row: CampaignRow): Body => ({
    name: row.name,
    channelId: row.channel,
    template: (() => {
      const { category: _c, bodyNames: _b, ...spec } = row.template as unknown as StoredCampaignTemplate;
      return spec;
    })(),
    audience: row.audience as unknown as Body['audience'],
    schedule: row.schedule as unknown as Body['schedule'],
    replyFlowId: row.replyFlowId,
  });

  const stored = (body: Body, template: StoredCampaignTemplate) => ({
    name: body.name,
    channel: body.channelId,
    template: template as unknown as Record<string, unknown>,
    audience: body.audience as Record<string, unknown>,
    schedule: body.schedule as Record<string, unknown>,
    replyFlowId: body.replyFlowId,
  });

  api.add({
    method: 'get',
    path: '/api/campaigns',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Campaigns, newest first, a page at a time, optionally of one status',
    query: ListQuery,
    responses: {
      200: {
        description: 'A page of campaigns; `nextCursor` is null on the last page',
        schema: z.object({ items: z.array(CampaignBody), nextCursor: z.string().nullable() }),
      },
      400: { description: 'invalid_request: a bad status or cursor', schema: ErrorBody },
    },
    handler: async ({ query }, res) => {
      let page: Awaited<ReturnType<typeof repo.list>>;
      try {
        page = await repo.list(query);
      } catch (error) {
        if (!(error instanceof CursorError)) throw error;
        return sendError(res, 400, 'invalid_request', error.message, [
          { path: '$.query.cursor', message: error.message },
        ]);
      }
      const limits = new Map();
      res.json({
        items: await Promise.all(page.items.map((r) => service.view(r, limits))),
        nextCursor: page.nextCursor,
      });
    },
  });

  api.add({
    method: 'post',
    path: '/api/campaigns',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Create a draft campaign: a channel, an approved template with its parameters, an audience',
    body: NewBody,
    responses: {
      201: { description: 'Created (draft)', schema: CampaignBody },
      400: { description: 'invalid_request: the body’s shape', schema: ErrorBody },
      422: {
        description:
          'invalid_campaign: unknown or unapproved template, wrong parameters, unknown segment or flow, bad schedule',
        schema: ErrorBody,
      },
    },
    handler: async ({ body, req }, res) => {
      const checked = await check(body);
      if (checked.problems.length > 0 || !checked.template) return invalid(res, checked.problems);
      const created = await repo.create(
        { id: crypto.randomUUID(), ...stored(body, checked.template) },
        service.now().toISOString(),
      );
      await rt.audit.request(
        req,
        res,
        'campaign.created',
        { kind: 'campaign', id: created.id },
        { name: created.name },
      );
      res.status(201).json(await service.view(created));
    },
  });

  api.add({
    method: 'post',
    path: '/api/campaigns/preview',
    roles: BUILDERS,
    tag: TAG,
    summary:
      'How many contacts an audience selects and how many would be skipped, by reason (writes nothing)',
    body: z.strictObject({
      audience: AudienceBody,
      channelId: z.string().min(1).max(100),
      template: TemplateInput.optional(),
    }),
    responses: {
      200: {
        description: 'The figures',
        schema: z.object({ total: z.number(), willSend: z.number(), skipped: z.array(ReasonCount) }),
      },
      422: { description: 'invalid_campaign', schema: ErrorBody },
    },
    handler: async ({ body }, res) => {
      if (!rt.channels.get(body.channelId))
        return invalid(res, [{ path: '$.body.channelId', message: `no channel "${body.channelId}"` }]);
      let template: Parameters<typeof skipReason>[1] = { category: 'utility' };
      if (body.template) {
        const resolved = await resolveCampaignTemplate(rt.database.repos, body.channelId, body.template);
        if (!resolved.ok) return invalid(res, resolved.problems);
        template = resolved.template;
      }
      let filter: SegmentFilter;
      try {
        filter = await service.filterOf(body.audience as AudienceValue, body.channelId);
      } catch (error) {
        if (error instanceof CampaignInvalid) return invalid(res, error.problems);
        throw error;
      }
      const now = service.now();
      const skipped = new Map<string, number>();
      let total = 0;
      let after: string | undefined;
      for (;;) {
        const page: Contact[] = await rt.database.repos.segments.resolve(filter, {
          now: now.toISOString(),
          after,
          limit: 1000,
        });
        for (const contact of page) {
          total++;
          const reason = skipReason(contact, template, rt.config.whatsapp.blockedPrefixes, now);
          if (reason) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
        }
        if (page.length < 1000) break;
        after = page[page.length - 1]!.id;
      }
      const skips = [...skipped].map(([reason, count]) => ({ reason, count }));
      res.json({
        total,
        willSend: total - skips.reduce((n, s) => n + s.count, 0),
        skipped: skips.sort((a, b) => b.count - a.count),
      });
    },
  });

  api.add({
    method: 'get',
    path: '/api/campaigns/:id',
    roles: BUILDERS,
    tag: TAG,
    summary: 'One campaign with its progress, counts and the messaging limit',
    params: IdParams,
    responses: {
      200: { description: 'The campaign', schema: CampaignBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const row = await repo.get(params.id);
      if (!row) return notFound(res, params.id);
      res.json(await service.view(row));
    },
  });

  api.add({
    method: 'patch',
    path: '/api/campaigns/:id',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Change a draft or scheduled campaign (any of the creation fields)',
    params: IdParams,
    body: PatchBody,
    responses: {
      200: { description: 'Changed', schema: CampaignBody },
      400: { description: 'invalid_request', schema: ErrorBody },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'not_editable: the campaign is past scheduled', schema: ErrorBody },
      422: { description: 'invalid_campaign', schema: ErrorBody },
    },
    handler: async ({ params, body, req }, res) => {
      const row = await repo.get(params.id);
      if (!row) return notFound(res, params.id);
      if (row.status !== 'draft' && row.status !== 'scheduled')
        return conflict(
          res,
          'not_editable',
          `campaign ${params.id} is ${row.status}: only a draft or scheduled one can be changed`,
        );
      if (row.status === 'scheduled' && (body.audience !== undefined || body.channelId !== undefined))
        return conflict(
          res,
          'not_editable',
          `campaign ${params.id} is scheduled: its audience was taken at the start; cancel it and create another to change it`,
        );
      const merged = { ...bodyOf(row), ...body } as Body;
      const checked = await check(merged);
      if (checked.problems.length > 0 || !checked.template) return invalid(res, checked.problems);
      const at = service.now().toISOString();
      const schedule = merged.schedule;
      // A scheduled campaign given another start time waits for that one.
      const waiting =
        row.status === 'scheduled' && body.schedule
          ? schedule.startAt !== null && Date.parse(schedule.startAt) > Date.parse(at)
            ? { waitingReason: 'scheduled', waitingUntil: schedule.startAt }
            : { waitingReason: null, waitingUntil: null }
          : {};
      const updated = await repo.transition(
        params.id,
        ['draft', 'scheduled'],
        { ...stored(merged, checked.template), ...waiting },
        at,
      );
      if (!updated) return conflict(res, 'not_editable', `campaign ${params.id} changed meanwhile`);
      await rt.audit.request(
        req,
        res,
        'campaign.updated',
        { kind: 'campaign', id: params.id },
        { changed: Object.keys(body) },
      );
      rt.campaignRunner?.nudge();
      res.json(await service.view(updated));
    },
  });

  api.add({
    method: 'delete',
    path: '/api/campaigns/:id',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Remove a draft, completed or cancelled campaign (its messages stay in the outbox)',
    params: IdParams,
    responses: {
      204: { description: 'Removed' },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'not_deletable: pause and cancel it first', schema: ErrorBody },
    },
    handler: async ({ params, req }, res) => {
      const row = await repo.get(params.id);
      if (!row) return notFound(res, params.id);
      if (!['draft', 'completed', 'cancelled'].includes(row.status))
        return conflict(
          res,
          'not_deletable',
          `campaign ${params.id} is ${row.status}: cancel it before deleting it`,
        );
      await repo.remove(params.id);
      await rt.audit.request(req, res, 'campaign.deleted', { kind: 'campaign', id: params.id }, null);
      res.status(204).end();
    },
  });

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    api.add({
      method: 'post',
      path: `/api/campaigns/:id/${action}`,
      roles: BUILDERS,
      tag: TAG,
      summary: {
        start: 'Start a draft: its audience is taken now; running, or scheduled when startAt is ahead',
        pause: 'Pause a running or scheduled campaign (queued messages still go)',
        resume: 'Resume a paused campaign',
        cancel: 'Cancel: recipients not yet queued are never sent',
      }[action],
      params: IdParams,
      responses: {
        200: { description: 'The campaign after the change', schema: CampaignBody },
        404: { description: 'Unknown', schema: ErrorBody },
        409: { description: 'not_allowed: the status does not allow it', schema: ErrorBody },
        422: { description: 'invalid_campaign: its segment is gone', schema: ErrorBody },
      },
      handler: async ({ params, req }, res) => {
        if (!(await repo.get(params.id))) return notFound(res, params.id);
        try {
          const row = await service[action](params.id);
          await rt.audit.request(req, res, `campaign.${action}`, { kind: 'campaign', id: params.id }, null);
          res.json(await service.view(row));
        } catch (error) {
          if (error instanceof CampaignConflict) return conflict(res, 'not_allowed', error.message);
          if (error instanceof CampaignInvalid) return invalid(res, error.problems);
          throw error;
        }
      },
    });
  }

  api.add({
    method: 'get',
    path: '/api/campaigns/:id/results',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Counts, skips by reason and failures by error code',
    params: IdParams,
    responses: {
      200: {
        description: 'Results',
        schema: z.object({
          counts: Counts,
          skipped: z.array(ReasonCount),
          failed: z.array(
            z.object({ code: z.union([z.number(), z.string()]), title: z.string(), count: z.number() }),
          ),
        }),
      },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      if (!(await repo.get(params.id))) return notFound(res, params.id);
      res.json(await service.results(params.id));
    },
  });

  api.add({
    method: 'get',
    path: '/api/campaigns/:id/recipients',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Recipients by WhatsApp id, optionally of one status, skip reason or error code',
    params: IdParams,
    query: RecipientsQuery,
    responses: {
      200: {
        description: 'A page of recipients',
        schema: z.object({
          items: z.array(
            z.object({
              waId: z.string(),
              name: z.string().nullable(),
              status: z.enum(RecipientStates),
              reason: z.string().nullable(),
              errorCode: z.union([z.number(), z.string()]).nullable(),
              messageId: z.string().nullable(),
              queuedAt: z.string().nullable(),
              sentAt: z.string().nullable(),
              deliveredAt: z.string().nullable(),
              readAt: z.string().nullable(),
              repliedAt: z.string().nullable(),
            }),
          ),
          nextCursor: z.string().nullable(),
        }),
      },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, query }, res) => {
      if (!(await repo.get(params.id))) return notFound(res, params.id);
      res.json(
        await service.recipients(params.id, {
          ...(query.status ? { state: query.status } : {}),
          ...(query.reason ? { reason: query.reason } : {}),
          ...(query.code ? { code: query.code } : {}),
          ...(query.cursor ? { after: query.cursor } : {}),
          limit: query.limit,
        }),
      );
    },
  });
}
