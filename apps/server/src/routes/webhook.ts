import express from 'express';
import { z } from 'zod';
import { type Api, ErrorBody } from '../api.js';
import type { Runtime } from '../runtime.js';
import { ingestWhatsApp, WEBHOOK_PATH, writeIngestAnswer } from './whatsapp-ingest.js';

/**
 * Meta's webhook: the GET handshake, and signed POSTs. A POST is verified over its raw bytes, parsed,
 * split into events, and stored (body + dedupe keys, one transaction) before the 200. Processing happens
 * after, in the dispatcher. `whatsappFastPath` serves the same POST ahead of Express.
 */
export function webhookRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: WEBHOOK_PATH,
    roles: 'public',
    tag: 'webhooks',
    summary: 'Meta verification handshake: echoes hub.challenge when hub.verify_token matches',
    query: z.object({
      'hub.mode': z.string().optional(),
      'hub.verify_token': z.string().optional(),
      'hub.challenge': z.string().optional(),
    }),
    responses: {
      200: { description: 'The challenge, as plain text', schema: z.string(), contentType: 'text/plain' },
      403: { description: 'Wrong token or mode' },
    },
    handler: ({ query }, res) => {
      const ok =
        query['hub.mode'] === 'subscribe' && rt.channels.verifyTokenMatches(query['hub.verify_token'] ?? '');
      if (!ok || query['hub.challenge'] === undefined) {
        rt.metrics.webhookRejections.inc({ reason: 'handshake' });
        return void res.status(403).type('text/plain').send('forbidden');
      }
      res.status(200).type('text/plain').send(query['hub.challenge']);
    },
  });

  api.add({
    method: 'post',
    path: WEBHOOK_PATH,
    roles: 'public',
    tag: 'webhooks',
    summary: 'WhatsApp Cloud API webhook (signed with X-Hub-Signature-256); stored before the 200',
    middleware: [express.raw({ type: () => true, limit: rt.config.bodyLimit })],
    responses: {
      200: { description: 'Stored', schema: z.object({ received: z.int(), duplicates: z.int() }) },
      400: { description: 'Signed, but not JSON', schema: ErrorBody },
      401: { description: 'Missing or wrong signature; nothing stored', schema: ErrorBody },
      413: { description: 'Body over the limit', schema: ErrorBody },
    },
    handler: async ({ req }, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      writeIngestAnswer(rt, res, await ingestWhatsApp(rt, raw, req.get('x-hub-signature-256')));
    },
  });
}
