import { CursorError } from '@switchboard/db';
import { PRIORITIES } from '@switchboard/nodes';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
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
        schema: z.object({ items: z.array(ConversationBody), nextCursor: z.string().nullable() }),
      },
      400: { description: 'A filter is not valid', schema: ErrorBody },
    },
    handler: async ({ query }, res) => {
      // An agent: their teams' only (a `team` outside them matches nothing).
      const scope = await inboxScope(rt, res);
      try {
        const page = await routing.conversations.list({
          ...(scope
            ? { teamIds: query.team ? scope.teams.filter((t) => t === query.team) : scope.teams }
            : {}),
          ...(query.state ? { state: query.state } : {}),
          ...(query.team ? { teamId: query.team } : {}),
          ...(query.agent ? { agentId: query.agent } : {}),
          ...(query.priority ? { priority: query.priority } : {}),
          ...(query.waId ? { waId: query.waId } : {}),
          ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
          ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
          ...(query.after ? { after: query.after } : {}),
          limit: query.limit,
        });
        res.json({ items: page.items.map(conversationView), nextCursor: page.nextCursor });
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
      await answer(res, async () => conversationView(await routing.close(params.id)));
    },
  });
}
