import { randomUUID } from 'node:crypto';
import type { OutboxRow } from '@switchboard/db';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { authorOf } from '../inbox/details.js';
import { outboundEvent } from '../inbox/events.js';
import { AGENT_KEY_PREFIX } from '../inbox/timeline.js';
import { INBOX } from '../roles.js';
import type { Runtime } from '../runtime.js';
import { sendMessage } from '../whatsapp/send.js';
import { inboxScope, principalOf } from './inbox-scope.js';

const StatusEntry = z.object({
  status: z.string(),
  at: z.string(),
  source: z.string(),
  error: z.unknown().nullable(),
});
const MessageBody = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  channel: z.string(),
  recipient: z.string(),
  kind: z.string(),
  status: z.enum([
    'queued',
    'sending',
    'accepted',
    'sent',
    'delivered',
    'read',
    'played',
    'failed',
    'refused',
  ]),
  attempts: z.int(),
  providerMessageId: z.string().nullable(),
  lastError: z.unknown().nullable(),
  payload: z.unknown(),
  runId: z.string().nullable(),
  nodeId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(StatusEntry),
});

export function messageRoutes(api: Api, rt: Runtime): void {
  const view = async (row: OutboxRow) => ({
    ...row,
    history: (await rt.outbox.statuses(row.id)).map(({ status, at, source, error }) => ({
      status,
      at,
      source,
      error,
    })),
  });
  /**
   * Tells the inbox stream about a message sent through the API, and writes a `replied` row in the
   * history of the contact's open conversation when a person sent it (who answered, and when).
   */
  const announce = async (res: Response, row: OutboxRow, person: string | null, since: string) => {
    const c = await rt.routing.conversations.activeForContact(row.recipient, row.channel);
    // A repeated request (same idempotency key) returns an older row: it was recorded the first time.
    if (c && person && row.status !== 'refused' && row.createdAt >= since) {
      const by = await authorOf(rt, res, await inboxScope(rt, res));
      await rt.routing.conversations.addEvent(c.id, row.createdAt, 'replied', { messageId: row.id, by });
    }
    rt.inbox.publish(outboundEvent(row, c?.id ?? null));
  };
  /**
   * An agent principal reaches only messages to the contacts of their teams' conversations; null for
   * everyone else (no limit).
   */
  const inboxOf = async (res: Response) => {
    const scope = await inboxScope(rt, res);
    return scope
      ? (channel: string, waId: string) => rt.routing.conversations.contactInTeams(channel, waId, scope.teams)
      : null;
  };

  api.add({
    method: 'post',
    path: '/api/messages',
    roles: INBOX,
    tag: 'whatsapp',
    summary:
      'Send a WhatsApp message through the outbox (checked against Meta’s limits and the policy first)',
    body: z.object({
      to: z.string().regex(/^\+?\d{6,20}$/, 'must be a WhatsApp number with its country code'),
      channelId: z.string().max(100).default('default'),
      message: z.unknown(),
      /** Repeat a request with the same key and get the first message back instead of a second send. */
      idempotencyKey: z.string().min(1).max(200).optional(),
    }),
    responses: {
      202: {
        description: 'Queued (or the earlier message with the same idempotency key)',
        schema: MessageBody,
      },
      400: { description: 'The message breaks a limit; each problem names its field', schema: ErrorBody },
      422: {
        description:
          'Refused by policy (24-hour window, opt-out, blocked region; recorded), or template_refused: an unknown, unapproved or paused template, or wrong parameters (each problem names the parameter; nothing queued)',
        schema: ErrorBody,
      },
    },
    handler: async ({ body }, res) => {
      const reaches = await inboxOf(res);
      const to = body.to.replace(/^\+/, '');
      if (reaches && !(await reaches(body.channelId, to)))
        return sendError(res, 404, 'not_found', `no contact ${to}`);
      // A person answering from the inbox (a signed-in user, or an agent's key): the message is marked
      // as theirs by its idempotency key (`agent:<userId>:…`), so the inbox shows who wrote it.
      const principal = principalOf(res);
      const person =
        principal?.userId && (principal.kind === 'session' || principal.role === 'agent')
          ? principal.userId
          : null;
      const idempotencyKey = person
        ? `${AGENT_KEY_PREFIX}${person}:${body.idempotencyKey ?? randomUUID()}`
        : body.idempotencyKey;
      const since = new Date().toISOString();
      const result = await sendMessage(rt, {
        to: body.to,
        channelId: body.channelId,
        message: body.message,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      if (result.row) await announce(res, result.row, person, since);
      // An agent's idempotency key that names someone else's earlier message does not return it.
      if (result.row && reaches && !(await reaches(result.row.channel, result.row.recipient)))
        return sendError(res, 409, 'idempotency_conflict', 'this idempotency key belongs to another message');
      if (result.ok) return res.status(202).json(await view(result.row));
      if (result.reason === 'invalid_message') {
        const problems = (result.problems ?? []).map((p) => ({
          ...p,
          path: p.path.replace(/^\$/, '$.message'),
        }));
        return sendError(
          res,
          400,
          'invalid_message',
          `the message has ${problems.length} problem(s)`,
          problems,
        );
      }
      if (result.reason === 'no_channel') return sendError(res, 400, 'invalid_request', result.message);
      if (result.reason.startsWith('template_'))
        // Unknown, not approved or wrong parameters: refused before Meta, nothing queued.
        return sendError(
          res,
          422,
          'template_refused',
          result.message,
          (result.problems ?? []).map((p) => ({
            ...p,
            path: p.path.replace(/^\$/, '$.message'),
            reason: result.reason,
          })),
        );
      return sendError(res, 422, 'policy_refused', result.message, [
        { path: '$.to', message: result.message, reason: result.reason, messageId: result.row?.id },
      ]);
    },
  });

  api.add({
    method: 'get',
    path: '/api/messages',
    roles: INBOX,
    tag: 'whatsapp',
    summary:
      'Outgoing messages with their status history, newest first; status=failed is the dead-letter view',
    query: z.object({
      waId: z.string().max(40).optional(),
      status: z.string().max(20).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    responses: { 200: { description: 'Messages', schema: z.object({ items: z.array(MessageBody) }) } },
    handler: async ({ query }, res) => {
      const scope = await inboxScope(rt, res);
      const rows = await rt.outbox.list({
        ...(scope ? { teams: scope.teams } : {}),
        ...(query.waId ? { recipient: query.waId } : {}),
        ...(query.status ? { status: query.status } : {}),
        limit: query.limit,
      });
      res.json({ items: await Promise.all(rows.map(view)) });
    },
  });

  api.add({
    method: 'get',
    path: '/api/messages/:id',
    roles: INBOX,
    tag: 'whatsapp',
    summary: 'One outgoing message with its status history',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      200: { description: 'The message', schema: MessageBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const row = await rt.outbox.get(params.id);
      const reaches = await inboxOf(res);
      if (!row || (reaches && !(await reaches(row.channel, row.recipient))))
        return sendError(res, 404, 'not_found', `no message "${params.id}"`);
      res.json(await view(row));
    },
  });

  api.add({
    method: 'post',
    path: '/api/messages/:id/retry',
    roles: INBOX,
    tag: 'whatsapp',
    summary: 'Send a failed (dead-lettered) message again',
    params: z.object({ id: z.string().max(100) }),
    responses: {
      200: { description: 'Queued again', schema: MessageBody },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'Not failed', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const row = await rt.outbox.get(params.id);
      const reaches = await inboxOf(res);
      if (!row || (reaches && !(await reaches(row.channel, row.recipient))))
        return sendError(res, 404, 'not_found', `no message "${params.id}"`);
      const retried = await rt.outbox.retryNow(params.id, new Date().toISOString());
      if (!retried)
        return sendError(
          res,
          409,
          'not_failed',
          `message "${params.id}" is ${row.status}; only failed messages can be retried`,
        );
      rt.sender?.nudge();
      res.json(await view(retried));
    },
  });
}
