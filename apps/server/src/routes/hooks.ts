import { randomUUID } from 'node:crypto';
import { verifySignature } from '@switchboard/whatsapp';
import express from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import type { Runtime } from '../runtime.js';
import { hookWaiters } from '../waits/hook-waits.js';

/**
 * Generic inbound webhooks for flows with a `trigger.webhook` (e.g. a shop's "order created") and for runs
 * waiting on one (`flow.waitForEvent`, e.g. "payment completed" for an order). Like the
 * WhatsApp ingress: checked, stored before the answer, processed by the dispatcher. An `Idempotency-Key`
 * header makes a sender's retries no-ops.
 */
export function hookRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'post',
    path: '/hooks/:path',
    roles: 'public',
    tag: 'webhooks',
    summary:
      'Start the active flows listening on this path, and wake runs waiting for this body (optionally HMAC-signed)',
    middleware: [express.raw({ type: () => true, limit: rt.config.bodyLimit })],
    params: z.object({ path: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }),
    responses: {
      202: {
        description: 'Stored; the flows run shortly',
        schema: z.object({ received: z.int(), duplicates: z.int() }),
      },
      400: { description: 'Not JSON', schema: ErrorBody },
      401: { description: 'Missing or wrong X-Signature-256', schema: ErrorBody },
      404: { description: 'No active flow listens on this path', schema: ErrorBody },
    },
    handler: async ({ params, req }, res) => {
      const triggers = (await rt.flows.activeTriggers('webhook.received')).filter(
        (t) => (t.node.params as { path?: string }).path === params.path,
      );
      const waiters = await hookWaiters(rt, params.path);
      if (triggers.length === 0 && waiters.length === 0)
        return sendError(res, 404, 'not_found', `no active flow listens on /hooks/${params.path}`);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.get('x-signature-256') ?? req.get('x-hub-signature-256');
      // Every listener that names a secret must be satisfied: a wait ("payment completed") is as
      // sensitive as a trigger.
      const listeners = [
        ...triggers.map((t) => ({
          flowId: t.flow.id,
          secretFrom: (t.node.params as { secretFrom?: string }).secretFrom,
        })),
        ...waiters,
      ];
      for (const t of listeners) {
        const from = t.secretFrom;
        if (!from) continue;
        const secret = process.env[from.slice('env:'.length)];
        if (!secret)
          return sendError(
            res,
            503,
            'not_configured',
            `flow "${t.flowId}" expects a secret in ${from.slice(4)}, which is not set`,
          );
        if (!verifySignature(raw, signature, secret)) {
          return sendError(
            res,
            401,
            'invalid_signature',
            'X-Signature-256 (sha256=<HMAC of the raw body>) is missing or wrong',
          );
        }
      }
      let body: unknown;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
      } catch (error) {
        return sendError(res, 400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
      }
      const receivedAt = new Date().toISOString();
      const key = req.get('idempotency-key') ?? randomUUID();
      const event = {
        type: 'webhook.received',
        dedupeKey: `hook:${params.path}:${key}`,
        timestamp: receivedAt,
        wabaId: null,
        path: params.path,
        body,
        query: req.query,
      };
      const input = {
        providerEventId: event.dedupeKey,
        type: event.type,
        channelId: null,
        waId: null,
        normalized: event,
        occurredAt: receivedAt,
      };
      const stored = await rt.ingest.store(
        { provider: 'webhook', channelId: null, rawBody: raw, receivedAt },
        [input],
      );
      await rt.eventJobs?.enqueue('webhook', [input]);
      res.status(202).json({ received: stored.inserted.length, duplicates: stored.duplicates.length });
      if (stored.inserted.length > 0) rt.dispatcher?.nudge();
    },
  });
}
