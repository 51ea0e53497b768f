import { type NormalizedEvent, normalizeWebhook } from '@switchboard/whatsapp';
import express from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import type { Runtime } from '../runtime.js';

const waIdOf = (e: NormalizedEvent): string | null =>
  e.type === 'message.received'
    ? e.waId
    : e.type === 'message.status'
      ? e.recipientWaId
      : 'waId' in e
        ? e.waId
        : null;

/**
 * Meta's webhook: the GET handshake, and signed POSTs. A POST is verified over its raw bytes, parsed,
 * split into events, and stored (body + dedupe keys, one transaction) before the 200. Processing happens
 * after, in the dispatcher.
 */
export function webhookRoutes(api: Api, rt: Runtime): void {
  const wa = rt.config.whatsapp;
  api.add({
    method: 'get',
    path: '/webhooks/whatsapp',
    tag: 'webhooks',
    summary: 'Meta verification handshake: echoes hub.challenge when hub.verify_token matches',
    auth: false,
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
    path: '/webhooks/whatsapp',
    tag: 'webhooks',
    summary: 'WhatsApp Cloud API webhook (signed with X-Hub-Signature-256); stored before the 200',
    auth: false,
    middleware: [express.raw({ type: () => true, limit: rt.config.bodyLimit })],
    responses: {
      200: { description: 'Stored', schema: z.object({ received: z.int(), duplicates: z.int() }) },
      400: { description: 'Signed, but not JSON', schema: ErrorBody },
      401: { description: 'Missing or wrong signature; nothing stored', schema: ErrorBody },
      413: { description: 'Body over the limit', schema: ErrorBody },
    },
    handler: async ({ req }, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.get('x-hub-signature-256');
      const channel = rt.channels.signedBy(raw, header);
      if (!channel) {
        rt.metrics.webhookRejections.inc({ reason: header ? 'bad_signature' : 'no_signature' });
        return sendError(
          res,
          401,
          'invalid_signature',
          header ? 'X-Hub-Signature-256 does not match' : 'X-Hub-Signature-256 is missing',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        rt.metrics.webhookRejections.inc({ reason: 'invalid_json' });
        return sendError(res, 400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
      }
      const { events, problems } = normalizeWebhook(body, {
        optOutKeywords: wa.optOutKeywords,
        optInKeywords: wa.optInKeywords,
      });
      if (problems.length > 0)
        rt.logger.warn({ problems, channel: channel.id }, 'parts of a webhook were not understood');
      const receivedAt = new Date().toISOString();
      const stored = await rt.ingest.store(
        { provider: 'whatsapp', channelId: channel.id, rawBody: raw, receivedAt },
        events.map((e) => ({
          providerEventId: e.dedupeKey,
          type: e.type,
          channelId:
            ('channel' in e && e.channel
              ? rt.channels.byPhoneNumberId(e.channel.phoneNumberId)?.id
              : undefined) ?? channel.id,
          waId: waIdOf(e),
          normalized: e,
          occurredAt: e.timestamp,
        })),
      );
      // Meta reads only the status; a plain body without an ETag keeps the hottest route cheap.
      const answer = `{"received":${stored.inserted.length},"duplicates":${stored.duplicates.length}}`;
      if (rt.config.fault?.kind === 'kill-after-webhook') {
        // Test-only: die right after the 200 leaves, before the dispatcher can see the event.
        res.on('finish', () => process.kill(process.pid, 'SIGKILL'));
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
      if (rt.config.fault?.kind === 'kill-after-webhook') return;
      for (const e of events) {
        const duplicate = stored.duplicates.length > 0 && stored.duplicates.includes(e.dedupeKey);
        rt.metrics.webhookEvents.inc({ type: e.type, duplicate: duplicate ? 'true' : 'false' });
      }
      if (stored.inserted.length > 0) rt.dispatcher?.nudge();
    },
  });
}
