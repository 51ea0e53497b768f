import { CursorError } from '@switchboard/db';
import { PRIORITIES } from '@switchboard/nodes';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { authorOf, contactDetails, listDetails } from '../inbox/details.js';
import { TimelineCursorError, timelinePage } from '../inbox/timeline.js';
import { INBOX } from '../roles.js';
import { answer, conversationView } from '../routing/index.js';
import type { Runtime } from '../runtime.js';
import { inboxScope } from './inbox-scope.js';

const STATES = ['queued', 'assigned', 'open', 'closed'] as const;
const Time = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with a zone' });
const Id = z.string().min(1).max(100);

export const ConversationBody = z.object({
  id: z.string(),
  channel: z.string(),
  waId: z.string(),
  contactName: z.string().nullable(),
  teamId: z.string(),
  agentId: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  state: z.enum(STATES),
  /** While queued: `after_hours` (the team is closed) or `no_agent_available`. */
  queuedBecause: z.string().nullable(),
  strategy: z.string(),
  skills: z.array(z.string()),
  summary: z.string(),
  runId: z.string().nullable(),
  flowId: z.string().nullable(),
  nodeId: z.string().nullable(),
  slaMinutes: z.number().nullable(),
  /** When it escalates if nobody picks it up. */
  slaDueAt: z.string().nullable(),
  escalation: z
    .object({
      team: z.string().nullable().optional(),
      slack: z.boolean().optional(),
      slackCredential: z.string().nullable().optional(),
    })
    .nullable(),
  escalatedAt: z.string().nullable(),
  /** When the escalation was posted to Slack. */
  notifiedAt: z.string().nullable(),
  openedAt: z.string(),
  assignedAt: z.string().nullable(),
  pickedUpAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
});
const EventBody = z.object({ at: z.string(), kind: z.string(), data: z.record(z.string(), z.unknown()) });
const ListItem = ConversationBody.extend({
  contact: z.object({ name: z.string().nullable(), phone: z.string(), tier: z.string().nullable() }),
  lastMessage: z
    .object({ direction: z.enum(['in', 'out']), at: z.string(), preview: z.string() })
    .nullable()
    .describe('The newest message either way, with a short preview'),
});
const Author = z.object({ userId: z.string().nullable(), name: z.string(), agentId: z.string().nullable() });
const ContactDetails = z
  .object({
    waId: z.string(),
    channel: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    country: z.string().nullable(),
    tier: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    tags: z.array(z.string()),
    consent: z.record(z.string(), z.unknown()),
    lastInboundAt: z.string().nullable(),
  })
  .nullable();
const WindowBody = z.object({
  open: z.boolean(),
  until: z.string().nullable().describe('When the 24-hour window closes (or closed); null: never opened'),
});
const TimelineItem = z.union([
  z.object({
    type: z.literal('in'),
    at: z.string(),
    sentAt: z.string(),
    messageId: z.string().nullable(),
    profileName: z.string().nullable(),
    message: z.unknown(),
    preview: z.string(),
  }),
  z.object({
    type: z.literal('out'),
    at: z.string(),
    id: z.string(),
    kind: z.string(),
    status: z.string(),
    source: z.enum(['flow', 'agent', 'api']),
    by: z.object({ userId: z.string(), name: z.string().nullable() }).nullable(),
    runId: z.string().nullable(),
    nodeId: z.string().nullable(),
    payload: z.unknown(),
    preview: z.string(),
    error: z.unknown(),
    statuses: z.array(z.object({ status: z.string(), at: z.string() })),
  }),
  z.object({
    type: z.literal('event'),
    at: z.string(),
    conversationId: z.string(),
    kind: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
]);
const Params = z.object({ id: Id });
const Answer = {
  200: { description: 'The conversation', schema: ConversationBody },
  400: { description: 'A field is not valid (the message names it)', schema: ErrorBody },
  404: { description: 'Unknown', schema: ErrorBody },
  409: { description: 'conversation_closed', schema: ErrorBody },
};

export function conversationRoutes(api: Api, rt: Runtime): void {
  const { routing } = rt;
  /**
   * An agent principal reaches only their teams' conversations: another team's answers 404 with the
   * words of an unknown id (true when it answered). Other roles reach all.
   */
  const hidden = async (res: Response, id: string): Promise<boolean> => {
    const scope = await inboxScope(rt, res);
    if (!scope) return false;
    const c = await routing.conversations.get(id);
    if (c && scope.teams.includes(c.teamId)) return false;
    sendError(res, 404, 'not_found', `no conversation "${id}"`);
    return true;
  };

  api.add({
    method: 'get',
    path: '/api/conversations',
    roles: INBOX,
    tag: 'routing',
    summary:
      'Conversations, paginated: by state (`active`: not closed), team, agent, priority, contact, opening time; queue order (urgent first, then the oldest), closed ones newest first',
    query: z
      .object({
        state: z.enum([...STATES, 'active']).optional(),
        team: Id.optional(),
        agent: Id.optional(),
        priority: z.enum(PRIORITIES).optional(),
        waId: z.string().max(40).optional(),
        assignedTo: z
          .literal('me', { message: 'must be "me"' })
          .optional()
          .describe('`me`: only those held by the caller’s own agent'),
        since: Time.optional(),
        until: Time.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        after: z.string().max(500).optional().describe('The previous page’s `nextCursor`'),
      })
      .refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), {
        message: '"since" must be before "until"',
        path: ['until'],
      }),
    responses: {
      200: {
        description: 'A page',
        schema: z.object({ items: z.array(ListItem), nextCursor: z.string().nullable() }),
      },
      400: { description: 'A filter is not valid', schema: ErrorBody },
    },
    handler: async ({ query }, res) => {
      // An agent: their teams' only (a `team` outside them matches nothing).
      const scope = await inboxScope(rt, res);
      let mine: string | undefined;
      if (query.assignedTo === 'me') {
        const me = await authorOf(rt, res, scope);
        if (!me.agentId)
          return sendError(res, 400, 'invalid_request', 'assignedTo=me: you do not work as an agent', [
            { path: '$.query.assignedTo', message: 'the caller is not linked to an agent' },
          ]);
        if (query.agent && query.agent !== me.agentId) return res.json({ items: [], nextCursor: null });
        mine = me.agentId;
      }
      try {
        const page = await routing.conversations.list({
          ...(scope
            ? { teamIds: query.team ? scope.teams.filter((t) => t === query.team) : scope.teams }
            : {}),
          ...(query.state ? { state: query.state } : {}),
          ...(query.team ? { teamId: query.team } : {}),
          ...(mine ? { agentId: mine } : query.agent ? { agentId: query.agent } : {}),
          ...(query.priority ? { priority: query.priority } : {}),
          ...(query.waId ? { waId: query.waId } : {}),
          ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
          ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
          ...(query.after ? { after: query.after } : {}),
          limit: query.limit,
        });
        const items = await Promise.all(
          page.items.map(async (c) => ({ ...conversationView(c), ...(await listDetails(rt, c)) })),
        );
        res.json({ items, nextCursor: page.nextCursor });
      } catch (error) {
        if (error instanceof CursorError) return sendError(res, 400, 'invalid_request', error.message);
        throw error;
      }
    },
  });

  api.add({
    method: 'get',
    path: '/api/conversations/:id',
    roles: INBOX,
    tag: 'routing',
    summary:
      'One conversation with its history (opened, queued, assigned, picked up, transferred, escalated…)',
    params: Params,
    responses: {
      200: {
        description: 'The conversation',
        schema: ConversationBody.extend({ history: z.array(EventBody) }),
      },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      if (await hidden(res, params.id)) return;
      const c = await routing.conversations.get(params.id);
      if (!c) return sendError(res, 404, 'not_found', `no conversation "${params.id}"`);
      const history = (await routing.conversations.history(c.id)).map(({ at, kind, data }) => ({
        at,
        kind,
        data,
      }));
      res.json({ ...conversationView(c), history });
    },
  });

  api.add({
    method: 'post',
    path: '/api/conversations/:id/pick-up',
    roles: INBOX,
    tag: 'routing',
    summary:
      'The agent answers it: state open, its SLA stops. A queued one needs `agent`; naming another agent gives it to them',
    params: Params,
    body: z.strictObject({ agent: Id.optional() }),
    responses: Answer,
    handler: async ({ params, body }, res) => {
      if (await hidden(res, params.id)) return;
      // An agent picks up as the agent linked to their user, never as someone else.
      const own = (await inboxScope(rt, res))?.agent?.id;
      if (own && body.agent && body.agent !== own)
        return sendError(
          res,
          403,
          'forbidden',
          'an agent picks up conversations as themselves; to hand one to a colleague, transfer it',
        );
      await answer(res, async () => conversationView(await routing.pickUp(params.id, body.agent ?? own)));
    },
  });

  api.add({
    method: 'post',
    path: '/api/conversations/:id/transfer',
    roles: INBOX,
    tag: 'routing',
    summary:
      'Move it to another team (its agents take it in turn) and/or agent (who must be in the team); its SLA keeps running',
    params: Params,
    body: z.strictObject({ team: Id.optional(), agent: Id.optional() }),
    responses: Answer,
    handler: async ({ params, body }, res) => {
      if (await hidden(res, params.id)) return;
      await answer(res, async () =>
        conversationView(
          await routing.transfer(params.id, {
            ...(body.team ? { team: body.team } : {}),
            ...(body.agent ? { agent: body.agent } : {}),
          }),
        ),
      );
    },
  });

  api.add({
    method: 'post',
    path: '/api/conversations/:id/close',
    roles: INBOX,
    tag: 'routing',
    summary: 'Close it; its agent’s place goes at once to the first conversation in the team’s queue',
    params: Params,
    responses: Answer,
    handler: async ({ params }, res) => {
      if (await hidden(res, params.id)) return;
      const by = await authorOf(rt, res, await inboxScope(rt, res));
      await answer(res, async () => conversationView(await routing.close(params.id, { by })));
    },
  });

  api.add({
    method: 'post',
    path: '/api/conversations/:id/hand-back',
    roles: INBOX,
    tag: 'routing',
    summary:
      'Give the contact back to the bot: it closes with reason `handed_back`, the agent’s place goes to the queue, and flows answer the contact again',
    params: Params,
    responses: Answer,
    handler: async ({ params }, res) => {
      if (await hidden(res, params.id)) return;
      const by = await authorOf(rt, res, await inboxScope(rt, res));
      await answer(res, async () => conversationView(await routing.handBack(params.id, by)));
    },
  });

  api.add({
    method: 'post',
    path: '/api/conversations/:id/notes',
    roles: INBOX,
    tag: 'routing',
    summary:
      'Add an internal note to its history (never sent to the customer), signed with the caller’s name',
    params: Params,
    body: z.strictObject({
      text: z
        .string({ message: 'must be the note’s text' })
        .trim()
        .min(1, 'must not be empty')
        .max(4000, 'must be at most 4000 characters'),
    }),
    responses: {
      201: {
        description: 'The history row written',
        schema: z.object({
          at: z.string(),
          kind: z.literal('note'),
          data: z.object({ text: z.string(), by: Author }),
        }),
      },
      400: { description: 'The text is missing, empty or too long', schema: ErrorBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, body }, res) => {
      if (await hidden(res, params.id)) return;
      const by = await authorOf(rt, res, await inboxScope(rt, res));
      await answer(res, async () => {
        res.status(201).json(await routing.addNote(params.id, body.text, by));
        return undefined;
      });
    },
  });

  api.add({
    method: 'get',
    path: '/api/conversations/:id/messages',
    roles: INBOX,
    tag: 'routing',
    summary:
      'The contact’s whole WhatsApp history on the conversation’s channel, oldest first: messages in and out (status ticks, sent by a flow, an agent or the API), notes and routing events; with the contact and its 24-hour window',
    params: Params,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: z.string().max(500).optional().describe('A page’s `olderCursor`: the entries before it'),
      after: z.string().max(500).optional().describe('A page’s `newerCursor`: the entries since'),
    }),
    responses: {
      200: {
        description: 'A page (without a cursor: the newest entries)',
        schema: z.object({
          conversation: ConversationBody,
          contact: ContactDetails,
          window: WindowBody,
          items: z.array(TimelineItem),
          olderCursor: z.string().nullable(),
          newerCursor: z.string().nullable(),
          hasNewer: z.boolean(),
        }),
      },
      400: { description: 'A cursor is not valid', schema: ErrorBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params, query }, res) => {
      if (await hidden(res, params.id)) return;
      const c = await routing.conversations.get(params.id);
      if (!c) return sendError(res, 404, 'not_found', `no conversation "${params.id}"`);
      const scope = await inboxScope(rt, res);
      try {
        const [page, details] = await Promise.all([
          timelinePage(rt, {
            channel: c.channel,
            waId: c.waId,
            ...(scope ? { teamIds: scope.teams } : {}),
            limit: query.limit,
            ...(query.before ? { before: query.before } : {}),
            ...(query.after ? { after: query.after } : {}),
          }),
          contactDetails(rt, c.channel, c.waId),
        ]);
        res.json({ conversation: conversationView(c), ...details, ...page });
      } catch (error) {
        if (error instanceof TimelineCursorError)
          return sendError(res, 400, 'invalid_request', error.message, [
            { path: query.after ? '$.query.after' : '$.query.before', message: error.message },
          ]);
        throw error;
      }
    },
  });
}
