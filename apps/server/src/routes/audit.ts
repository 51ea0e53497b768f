import { AuditCursorError } from '@switchboard/db';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import type { Runtime } from '../runtime.js';

const AuditEventBody = z.object({
  id: z.int(),
  at: z.string().describe('ISO, UTC'),
  actor: z.object({
    kind: z.enum(['user', 'apiKey', 'ownerKey', 'system', 'anonymous']),
    id: z.string().nullable().describe('A user id or an API key id (never the key)'),
    label: z.string().describe('Readable at the time: an email, a key name'),
  }),
  action: z.string().describe('e.g. flow.activated, credential.used, auth.sign_in_failed'),
  target: z.object({ kind: z.string(), id: z.string().nullable() }).nullable(),
  ip: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable().describe('Names, ids, versions; never a secret'),
});

const IsoTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO date-time, e.g. 2026-03-01T00:00:00Z',
});

const AuditQuery = z.object({
  action: z
    .string()
    .max(100)
    .optional()
    .describe('An action (flow.activated), or a prefix ending in * (flow.*)'),
  actor: z.string().max(200).optional().describe("The actor's id, label (email, key name) or kind"),
  target: z.string().max(300).optional().describe('kind:id (flow:hello-world), kind: (every flow), or an id'),
  since: IsoTime.optional().describe('At or after this time'),
  until: IsoTime.optional().describe('Before this time'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional().describe("The previous page's nextCursor"),
});

const utc = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso).toISOString());

/** The audit log, newest first: owners and admins only. */
export function auditRoutes(api: Api, rt: Runtime): void {
  api.add({
    method: 'get',
    path: '/api/audit',
    tag: 'audit',
    roles: ['owner', 'admin'],
    summary:
      'Audit log, newest first: flow changes, credential changes and use, channel secrets, sign-ins (and failures), users and API keys',
    query: AuditQuery,
    responses: {
      200: {
        description: 'A page of events; `nextCursor` is null on the last page',
        schema: z.object({ items: z.array(AuditEventBody), nextCursor: z.string().nullable() }),
      },
      400: { description: 'invalid_request (a bad filter or cursor)', schema: ErrorBody },
    },
    handler: async ({ query }, res) => {
      try {
        const page = await rt.audit.repo.list({
          ...(query.action ? { action: query.action } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.target ? { target: query.target } : {}),
          ...(query.since ? { since: utc(query.since) } : {}),
          ...(query.until ? { until: utc(query.until) } : {}),
          ...(query.cursor ? { cursor: query.cursor } : {}),
          limit: query.limit,
        });
        res.json({
          items: page.items.map((e) => ({
            id: e.id,
            at: e.at,
            actor: { kind: e.actorKind, id: e.actorId, label: e.actorLabel },
            action: e.action,
            target: e.targetKind || e.targetId ? { kind: e.targetKind ?? '', id: e.targetId } : null,
            ip: e.ip,
            data: e.data,
          })),
          nextCursor: page.nextCursor,
        });
      } catch (error) {
        if (!(error instanceof AuditCursorError)) throw error;
        sendError(res, 400, 'invalid_request', error.message, [
          { path: '$.query.cursor', message: error.message },
        ]);
      }
    },
  });
}
