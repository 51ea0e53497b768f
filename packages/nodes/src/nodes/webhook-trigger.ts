import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { labels } from '../labels.js';

/**
 * Starts a run when another system posts JSON to `/hooks/<path>` (e.g. a shop's "order created"). With
 * `secretFrom`, requests must carry `X-Signature-256: sha256=<HMAC of the raw body>`; the secret itself
 * lives outside the flow (an environment variable), never in it.
 */
export const webhookTrigger = defineNode({
  type: 'trigger.webhook',
  category: 'trigger',
  trigger: true,
  listensTo: ['webhook.received'],
  labels: labels(
    ['Incoming webhook', 'Starts when another system posts JSON to /hooks/<path>, e.g. a new order.'],
    ['Webhook entrante', 'Empieza cuando otro sistema envía JSON a /hooks/<ruta>, p. ej. un pedido nuevo.'],
  ),
  params: z.strictObject({
    path: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and -, e.g. shop-orders'),
    secretFrom: z
      .string()
      .regex(/^env:[A-Z][A-Z0-9_]*$/, 'name an environment variable, e.g. env:SHOP_WEBHOOK_SECRET')
      .optional()
      .describe('Where the HMAC secret is kept'),
  }),
  matches: (p, event) => (event as { path?: string }).path === p.path,
  execute: (ctx) => emit('out', ctx.input),
});
