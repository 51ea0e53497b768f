import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

/**
 * The sandbox's template endpoints: the fake Graph `/{waba-id}/message_templates` (same shapes as Meta),
 * and, in sandbox mode, a control that changes a template's status and posts the webhook (to try a
 * pause or a rejection).
 */
export function sandboxTemplateRoutes(api: Api, rt: Runtime): void {
  const sandbox = rt.sandbox;
  const Params = z.object({ version: z.string(), wabaId: z.string() });
  for (const method of ['get', 'post'] as const)
    api.add({
      method,
      path: '/sandbox/graph/:version/:wabaId/message_templates',
      roles: 'public',
      tag: 'sandbox',
      summary:
        method === 'get'
          ? 'The fake Cloud API template list (paged like Graph)'
          : 'The fake Cloud API template creation (reviewed after a delay, then a status webhook)',
      params: Params,
      responses: { 200: { description: 'Graph’s answer' }, 400: { description: 'Graph-style error' } },
      handler: ({ params, req }, res) => {
        const answer = sandbox.handleTemplates({
          method: method === 'get' ? 'GET' : 'POST',
          wabaId: params.wabaId,
          authorization: req.get('authorization'),
          url: `${rt.baseUrl}${req.originalUrl}`,
          body: req.body,
        });
        res.status(answer.status).json(answer.body);
      },
    });

  if (rt.config.whatsapp.mode !== 'sandbox') return;

  api.add({
    method: 'post',
    path: '/api/sandbox/templates/:id/status',
    roles: BUILDERS,
    tag: 'sandbox',
    summary: 'Change a sandbox template’s status as Meta would (e.g. PAUSED) and post the status webhook',
    params: z.object({ id: z.string().max(100) }),
    body: z.strictObject({
      status: z.enum(['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED', 'REINSTATED']),
      reason: z.string().max(100).optional(),
    }),
    responses: {
      204: { description: 'Changed; the webhook was posted' },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, body }, res) => {
      const row = await rt.database.repos.templates.get(params.id);
      if (!row) return sendError(res, 404, 'not_found', `no template "${params.id}"`);
      const ok = await sandbox.setTemplateStatus(row.wabaId, row.providerId, body.status, body.reason);
      if (!ok) return sendError(res, 404, 'not_found', `the sandbox has no template "${row.providerId}"`);
      res.status(204).end();
    },
  });
}
