import { z } from 'zod';
import { type Api, sendError } from '../api.js';
import { BUILDERS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const EventItem = z.object({
  id: z.int(),
  type: z.string(),
  channelId: z.string().nullable(),
  waId: z.string().nullable(),
  status: z.enum(['pending', 'processed', 'failed']),
  occurredAt: z.string(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
  error: z.string().nullable(),
  event: z.record(z.string(), z.unknown()),
});

export function eventRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/events',
    roles: BUILDERS,
    tag: 'whatsapp',
    summary:
      'Normalized webhook events, newest first (message.received, message.status, contact.opted_out, …)',
    query: z.object({
      type: z.string().max(60).optional(),
      waId: z.string().max(40).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(300).optional(),
    }),
    responses: {
      200: {
        description: 'A page of events',
        schema: z.object({ items: z.array(EventItem), nextCursor: z.string().nullable() }),
      },
    },
    handler: async ({ query }, res) => {
      const beforeId = query.cursor === undefined ? undefined : Number(query.cursor);
      if (beforeId !== undefined && !Number.isInteger(beforeId)) {
        return sendError(res, 400, 'invalid_request', 'cursor is not one this server returned');
      }
      const rows = await rt.events.list({
        ...query,
        limit: query.limit + 1,
        ...(beforeId !== undefined ? { beforeId } : {}),
      });
      const items = rows
        .slice(0, query.limit)
        .map(({ normalized, providerEventId: _k, provider: _p, deliveryId: _d, ...row }) => ({
          ...row,
          event: normalized,
        }));
      const last = items.at(-1);
      res.json({ items, nextCursor: rows.length > query.limit && last ? String(last.id) : null });
    },
  });
}
