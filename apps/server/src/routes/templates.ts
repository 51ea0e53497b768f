import type { TemplateRow } from '@switchboard/db';
import { templateSlots, validateNewTemplate } from '@switchboard/whatsapp';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { SIMULATOR_CHANNEL } from '../channels.js';
import { BUILDERS, EVERY_ROLE } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { asMessageTemplate, TemplateRequestError } from '../templates/service.js';

const TAG = 'templates';

const TemplateBody = z.object({
  id: z.string(),
  channelId: z.string(),
  wabaId: z.string(),
  providerId: z.string().describe('Meta’s template id'),
  name: z.string(),
  language: z.string(),
  category: z.string().describe('MARKETING, UTILITY or AUTHENTICATION'),
  status: z.string().describe('APPROVED, PENDING, REJECTED, PAUSED, DISABLED…'),
  parameterFormat: z.string(),
  components: z.array(z.unknown()),
  quality: z.string().nullable(),
  rejectedReason: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  parameters: z.unknown().describe('What a send must give: header, body (positional or named) and buttons'),
});
const SyncBody = z.object({
  channelId: z.string(),
  syncedAt: z.string().nullable(),
  attemptedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

const view = (row: TemplateRow) => ({ ...row, parameters: templateSlots(asMessageTemplate(row)) });

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

/**
 * WhatsApp message templates (docs/whatsapp.md, "Templates"): each channel's list as last synced from
 * its business account, one template, a new one submitted for review, and a sync on demand.
 */
export function templateRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/templates',
    roles: EVERY_ROLE,
    tag: TAG,
    summary:
      'Message templates, with each channel’s last sync (the simulator’s only with channelId=simulator)',
    query: z.object({
      channelId: z.string().max(100).optional(),
      status: z
        .string()
        .max(40)
        .transform((v) => v.toUpperCase())
        .optional(),
      category: z
        .string()
        .max(40)
        .transform((v) => v.toUpperCase())
        .optional(),
      language: z.string().max(20).optional(),
      q: z.string().max(512).optional().describe('part of the name'),
    }),
    responses: {
      200: {
        description: 'Templates by name and language',
        schema: z.object({ items: z.array(TemplateBody), syncs: z.array(SyncBody) }),
      },
    },
    handler: async ({ query }, res) => {
      const rows = await rt.database.repos.templates.list({
        ...(query.channelId ? { channelId: query.channelId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.category ? { category: query.category } : {}),
        ...(query.language ? { language: query.language } : {}),
        ...(query.q ? { search: query.q } : {}),
      });
      // The editor simulator's channel mirrors the sandbox's account: listed only when asked for by name.
      const shown = (channelId: string) =>
        query.channelId ? channelId === query.channelId : channelId !== SIMULATOR_CHANNEL;
      const syncs = [];
      for (const c of rt.channels.all()) {
        if (!shown(c.id)) continue;
        const s = await rt.database.repos.templates.syncState(c.id);
        if (s)
          syncs.push({
            channelId: c.id,
            syncedAt: s.syncedAt,
            attemptedAt: s.attemptedAt,
            lastError: s.lastError,
          });
      }
      res.json({ items: rows.filter((r) => shown(r.channelId)).map(view), syncs });
    },
  });

  api.add({
    method: 'get',
    path: '/api/templates/:id',
    roles: EVERY_ROLE,
    tag: TAG,
    summary: 'One message template',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      200: { description: 'The template', schema: TemplateBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const row = await rt.database.repos.templates.get(params.id);
      if (!row) return sendError(res, 404, 'not_found', `no template "${params.id}"`);
      res.json(view(row));
    },
  });

  api.add({
    method: 'post',
    path: '/api/templates',
    roles: BUILDERS,
    tag: TAG,
    summary:
      'Create a template and submit it for review (Meta’s fields: name, language, category, components)',
    body: z.looseObject({
      channelId: z.string().max(100).default('default'),
    }),
    responses: {
      201: { description: 'Submitted (usually PENDING until the review’s webhook)', schema: TemplateBody },
      422: { description: 'invalid_template: each problem names the field and the rule', schema: ErrorBody },
    },
    handler: async ({ body, req }, res) => {
      const { channelId, ...fields } = body;
      const checked = validateNewTemplate({ ...fields, category: upper(fields.category) });
      if (!checked.ok)
        return sendError(
          res,
          422,
          'invalid_template',
          `the template has ${checked.problems.length} problem(s)`,
          checked.problems.map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.body') })),
        );
      try {
        const row = await rt.templates.create(channelId, checked.template);
        await rt.audit.request(
          req,
          res,
          'template.created',
          { kind: 'template', id: row.id },
          {
            name: row.name,
            language: row.language,
            channelId,
          },
        );
        res.status(201).json(view(row));
      } catch (error) {
        if (!(error instanceof TemplateRequestError)) throw error;
        sendError(res, 422, 'invalid_template', error.message, [
          { path: error.path.replace(/^\$/, '$.body'), message: error.message },
        ]);
      }
    },
  });

  api.add({
    method: 'post',
    path: '/api/templates/sync',
    roles: BUILDERS,
    tag: TAG,
    summary: 'Sync templates from the business account now (every channel, or one)',
    body: z.strictObject({ channelId: z.string().max(100).optional() }).default({}),
    responses: {
      200: {
        description: 'Each channel’s outcome',
        schema: z.object({
          results: z.array(
            z.object({
              channelId: z.string(),
              ok: z.boolean(),
              count: z.number().optional(),
              error: z.string().optional(),
            }),
          ),
        }),
      },
    },
    handler: async ({ body }, res) => {
      const results = body.channelId
        ? [await rt.templates.sync(body.channelId)]
        : await rt.templates.syncAll();
      res.json({ results });
    },
  });
}
