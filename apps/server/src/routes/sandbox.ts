import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const Fault = z.strictObject({
  status: z.int().min(400).max(599),
  code: z.int().optional(),
  message: z.string().max(500).optional(),
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  latencyMs: z.int().min(0).max(60_000).optional(),
});

/**
 * The built-in WhatsApp sandbox: a fake Graph API and its controls. The fake Graph endpoint is there in
 * every mode (in live mode it answers only for the editor simulator's number, with that channel's
 * token); the `/api/sandbox/*` controls only with WHATSAPP_MODE=sandbox.
 */
export function sandboxRoutes(api: Api, rt: Runtime): void {
  const sandbox = rt.sandbox;

  api.add({
    method: 'post',
    path: '/sandbox/graph/:version/:phoneNumberId/messages',
    roles: 'public',
    tag: 'sandbox',
    summary: 'The fake Cloud API messages endpoint (same shapes as Graph)',
    params: z.object({ version: z.string(), phoneNumberId: z.string() }),
    responses: { 200: { description: 'Accepted, with a wamid' }, 400: { description: 'Graph-style error' } },
    handler: async ({ params, req }, res) => {
      const answer = await sandbox.handleSend(params.phoneNumberId, req.get('authorization'), req.body);
      for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
      res.status(answer.status).json(answer.body);
    },
  });

  if (rt.config.whatsapp.mode !== 'sandbox') return;

  api.add({
    method: 'post',
    path: '/api/sandbox/messages',
    roles: BUILDERS,
    tag: 'sandbox',
    summary: 'Post a customer message as if from WhatsApp (signed, through the real ingress)',
    body: z.strictObject({
      from: z.string().regex(/^\d{6,20}$/, 'must be the customer’s WhatsApp id (digits with country code)'),
      name: z.string().max(100).optional(),
      channelId: z.string().default('default'),
      text: z.string().min(1).max(4096).optional(),
      /** Meta's typed message part, e.g. { "type": "interactive", "interactive": { … } }. */
      message: z.looseObject({ type: z.string() }).optional(),
    }),
    responses: {
      200: { description: 'Posted', schema: z.object({ messageId: z.string(), ingressStatus: z.int() }) },
      400: { description: 'Neither text nor message', schema: ErrorBody },
    },
    handler: async ({ body }, res) => {
      const channel = rt.channels.get(body.channelId);
      if (!channel) return sendError(res, 400, 'invalid_request', `no channel "${body.channelId}"`);
      const message = body.message ?? (body.text ? { type: 'text', text: { body: body.text } } : undefined);
      if (!message) return sendError(res, 400, 'invalid_request', 'give "text" or "message"');
      const sent = await sandbox.customerMessage({
        phoneNumberId: channel.phoneNumberId,
        from: body.from,
        name: body.name ?? null,
        message,
      });
      res.json({ messageId: sent.messageId, ingressStatus: sent.status });
    },
  });

  api.add({
    method: 'post',
    path: '/api/sandbox/faults',
    roles: BUILDERS,
    tag: 'sandbox',
    summary: 'Queue answers for the next sends (e.g. a 429 then a 500) to test retries',
    body: z.strictObject({ faults: z.array(Fault).min(1).max(1000) }),
    responses: { 204: { description: 'Queued' } },
    handler: ({ body }, res) => {
      sandbox.injectFaults(body.faults);
      res.status(204).end();
    },
  });

  api.add({
    method: 'post',
    path: '/api/sandbox/recipients/:waId/fail',
    roles: BUILDERS,
    tag: 'sandbox',
    summary: 'Make sends to this number end with a failed status webhook carrying this error',
    params: z.object({ waId: z.string().regex(/^\d{6,20}$/) }),
    body: z.strictObject({ code: z.int(), title: z.string().min(1).max(200) }),
    responses: { 204: { description: 'Set' } },
    handler: ({ params, body }, res) => {
      sandbox.failRecipient(params.waId, body);
      res.status(204).end();
    },
  });

  api.add({
    method: 'get',
    path: '/api/sandbox/sends',
    roles: BUILDERS,
    tag: 'sandbox',
    summary: 'What the fake Cloud API received, oldest first, with arrival times',
    responses: {
      200: {
        description: 'Requests',
        schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
      },
    },
    handler: (_, res) => res.json({ items: sandbox.sends }),
  });

  api.add({
    method: 'delete',
    path: '/api/sandbox',
    roles: BUILDERS,
    tag: 'sandbox',
    summary: 'Forget recorded sends, queued faults and failing recipients',
    responses: { 204: { description: 'Reset' } },
    handler: (_, res) => {
      sandbox.reset();
      res.status(204).end();
    },
  });
}
