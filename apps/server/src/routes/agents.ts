import { type Agent, teamNameKey } from '@switchboard/db';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { ADMINS, AGENT_READERS } from '../roles.js';
import { sendFieldError, sendNotFound } from '../routing/index.js';
import type { Runtime } from '../runtime.js';
import { principalOf } from './inbox-scope.js';
import { TeamId } from './teams.js';

const AgentId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'use lower-case letters, digits, ., - and _ (e.g. ana-lopez)');

const fields = {
  name: z.string().trim().min(1, 'give the agent a name').max(100),
  email: z.email('must be an email address').max(200).nullable(),
  role: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'a word such as agent, supervisor or accountManager')
    .describe('agent, supervisor, accountManager… (free text: flows can route by it)'),
  skills: z
    .array(z.string().trim().min(1, 'a skill cannot be empty').max(60))
    .max(50)
    .describe('Conversations that need skills go only to agents with all of them (case-insensitive)'),
  capacity: z
    .number()
    .int('must be a whole number')
    .min(0)
    .max(1000)
    .describe('How many conversations (assigned or open) the agent holds at most'),
  available: z.boolean().describe('Only available agents get new conversations'),
  teams: z.array(TeamId).max(100).describe('Ids of the teams the agent works in'),
  userId: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .describe(
      'The user account that works as this agent: signed in with role `agent`, they see the inbox of these teams only (null: none)',
    ),
};
const withDefaults = {
  ...fields,
  email: fields.email.default(null),
  role: fields.role.default('agent'),
  skills: fields.skills.default([]),
  capacity: fields.capacity.default(5),
  // Off until the agent says they are working: conversations never go to someone who is away.
  available: fields.available.default(false),
  teams: fields.teams.default([]),
  userId: fields.userId.default(null),
};
const AgentCreate = z.strictObject({
  id: AgentId.optional().describe('Default: made from the name'),
  ...withDefaults,
});
const AgentReplace = z.strictObject(withDefaults);
const AgentPatch = z.strictObject(fields).partial();

export const AgentBody = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
  skills: z.array(z.string()),
  capacity: z.number(),
  available: z.boolean(),
  teams: z.array(z.string()),
  /** The linked user account, or null. */
  userId: z.string().nullable().optional(),
  /** Conversations the agent holds now (assigned or open). */
  open: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const Params = z.object({ id: AgentId });

export function agentRoutes(api: Api, rt: Runtime): void {
  const { routing } = rt;
  const at = () => routing.now().toISOString();
  const view = async (a: Agent) => ({
    ...a,
    open: (await routing.conversations.heldCounts([a.id])).get(a.id) ?? 0,
  });

  /** Every team named must exist: a 400 names the first one that does not. */
  const unknownTeam = async (res: Response, teams: readonly string[] | undefined): Promise<boolean> => {
    const list = teams ?? [];
    for (let index = 0; index < list.length; index++) {
      if (await routing.teams.getTeam(list[index]!)) continue;
      sendFieldError(res, `body.teams.${index}`, `there is no team "${list[index]}"`);
      return true;
    }
    return false;
  };

  /** A free id made from the name: "Ana López" → ana-lopez, then ana-lopez-2… */
  const idFor = async (name: string) => {
    const base =
      teamNameKey(name)
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 50) || 'agent';
    let id = base;
    for (let n = 2; await routing.teams.getAgent(id); n++) id = `${base}-${n}`;
    return id;
  };

  /**
   * A user to link must exist and not work as another agent already (the database keeps a user to one
   * agent); answers the refusal and returns true.
   */
  const badUserLink = async (
    res: Response,
    agentId: string | undefined,
    userId: string | null | undefined,
  ): Promise<boolean> => {
    if (!userId) return false;
    if (!(await rt.database.repos.users.getUser(userId))) {
      sendFieldError(res, 'body.userId', `there is no user "${userId}"`);
      return true;
    }
    const linked = await routing.teams.agentOfUser(userId);
    if (!linked || linked.id === agentId) return false;
    sendError(res, 409, 'user_linked', `user "${userId}" already works as agent "${linked.id}"`);
    return true;
  };

  const update = async (res: Response, id: string, body: Partial<z.output<typeof AgentReplace>>) => {
    const before = await routing.teams.getAgent(id);
    if (!before) return sendNotFound(res, 'agent', id);
    if (await unknownTeam(res, body.teams)) return;
    if (await badUserLink(res, id, body.userId)) return;
    const after = (await routing.teams.updateAgent(id, body, at()))!;
    // Available again, more capacity, a new team or skill: queued conversations can go to them now;
    // unavailable: what they had not picked up goes to the others.
    await routing.agentChanged(before, after);
    res.json(await view((await routing.teams.getAgent(id))!));
  };

  api.add({
    method: 'get',
    path: '/api/agents',
    roles: AGENT_READERS,
    tag: 'routing',
    summary: 'Agents, by id, each with its teams and how many conversations it holds; `team` keeps a team’s',
    query: z.object({ team: TeamId.optional() }),
    responses: { 200: { description: 'Agents', schema: z.object({ items: z.array(AgentBody) }) } },
    handler: async ({ query }, res) => {
      const agents = await routing.teams.listAgents(query.team ? { team: query.team } : {});
      const held = await routing.conversations.heldCounts(agents.map((a) => a.id));
      res.json({ items: agents.map((a) => ({ ...a, open: held.get(a.id) ?? 0 })) });
    },
  });

  api.add({
    method: 'post',
    path: '/api/agents',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Add an agent: name, role, skills, capacity, teams; available is off until switched on',
    body: AgentCreate,
    responses: {
      201: { description: 'Created', schema: AgentBody },
      400: {
        description: 'A field is not valid, or a team does not exist (the message names it)',
        schema: ErrorBody,
      },
      409: {
        description: 'agent_exists: the id is taken; user_linked: the user already works as another agent',
        schema: ErrorBody,
      },
    },
    handler: async ({ body }, res) => {
      if (body.id && (await routing.teams.getAgent(body.id)))
        return sendError(res, 409, 'agent_exists', `there is already an agent "${body.id}"`);
      if (await unknownTeam(res, body.teams)) return;
      if (await badUserLink(res, undefined, body.userId)) return;
      const agent = await routing.teams.createAgent(
        { ...body, id: body.id ?? (await idFor(body.name)) },
        at(),
      );
      await routing.agentChanged(undefined, agent);
      res.status(201).json(await view(agent));
    },
  });

  api.add({
    method: 'get',
    path: '/api/agents/:id',
    roles: AGENT_READERS,
    tag: 'routing',
    summary: 'One agent',
    params: Params,
    responses: {
      200: { description: 'The agent', schema: AgentBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const agent = await routing.teams.getAgent(params.id);
      if (!agent) return sendNotFound(res, 'agent', params.id);
      res.json(await view(agent));
    },
  });

  api.add({
    method: 'put',
    path: '/api/agents/:id',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Replace an agent’s settings (fields left out take their defaults)',
    params: Params,
    body: AgentReplace,
    responses: {
      200: { description: 'The agent', schema: AgentBody },
      400: { description: 'A field is not valid', schema: ErrorBody },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'user_linked: the user already works as another agent', schema: ErrorBody },
    },
    handler: ({ params, body }, res) => update(res, params.id, body),
  });

  api.add({
    method: 'patch',
    path: '/api/agents/:id',
    // An agent: only the agent linked to their user, and only `available` (checked below).
    roles: ['owner', 'admin', 'agent'],
    tag: 'routing',
    summary:
      'Change some of an agent’s settings; `{ "available": true|false }` is the availability switch (off: what they had not picked up goes to others)',
    params: Params,
    body: AgentPatch,
    responses: {
      200: { description: 'The agent', schema: AgentBody },
      400: { description: 'A field is not valid', schema: ErrorBody },
      403: {
        description: 'forbidden: an agent changes only their own agent, and only `available`',
        schema: ErrorBody,
      },
      404: { description: 'Unknown', schema: ErrorBody },
      409: { description: 'user_linked: the user already works as another agent', schema: ErrorBody },
    },
    handler: async ({ params, body }, res) => {
      const principal = principalOf(res);
      if (principal?.role === 'agent') {
        // Their own availability switch only: the agent linked to their user, the `available` field.
        if (!(await routing.teams.getAgent(params.id))) return sendNotFound(res, 'agent', params.id);
        const own = principal.userId ? await routing.teams.agentOfUser(principal.userId) : undefined;
        if (own?.id !== params.id)
          return sendError(res, 403, 'forbidden', 'an agent may change only their own availability');
        const others = Object.keys(body).filter((k) => k !== 'available');
        if (others.length)
          return sendError(
            res,
            403,
            'forbidden',
            `an agent may change only "available" (not ${others.map((k) => `"${k}"`).join(', ')})`,
          );
      }
      await update(res, params.id, body);
    },
  });

  api.add({
    method: 'delete',
    path: '/api/agents/:id',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Remove an agent; the conversations they held go back to their teams’ queues',
    params: Params,
    responses: {
      204: { description: 'Removed' },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const before = await routing.teams.getAgent(params.id);
      if (!before) return sendNotFound(res, 'agent', params.id);
      await routing.teams.deleteAgent(params.id);
      await routing.agentChanged(before, undefined);
      res.status(204).end();
    },
  });
}
