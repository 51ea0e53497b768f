import type { Team } from '@switchboard/db';
import { TimeZone } from '@switchboard/flow-schema';
import { isTeamOpen } from '@switchboard/nodes';
import type { Response } from 'express';
import { z } from 'zod';
import { type Api, ErrorBody, sendError } from '../api.js';
import { ADMINS, EVERY_ROLE } from '../roles.js';
import { sendFieldError, sendNotFound, teamView } from '../routing/index.js';
import type { Runtime } from '../runtime.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const TeamId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lower-case letters, digits, - and _ (e.g. billing), at most 63');
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, e.g. 09:00');
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const Interval = z
  .strictObject({
    days: z.array(z.enum(DAYS)).min(1, 'pick at least one day'),
    from: Time,
    to: Time.or(z.literal('24:00')),
  })
  .refine((i) => toMinutes(i.from) < toMinutes(i.to), {
    message: '"to" must be after "from" (split overnight hours in two)',
    path: ['to'],
  });
const Holiday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, 'not a calendar date');

const fields = {
  name: z.string().trim().min(1, 'give the team a name').max(100),
  timezone: TimeZone,
  businessHours: z
    .array(Interval)
    .min(1, 'add opening hours, or use null for always open')
    .max(50)
    .nullable()
    .describe('Weekly opening hours in the team’s time zone; null: always open'),
  holidays: z.array(Holiday).max(400).describe('Dates the team is closed (YYYY-MM-DD, its time zone)'),
  slackCredential: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .describe('Name of a stored Slack credential that posts to the team’s channel'),
  escalationTeam: TeamId.nullable().describe(
    'Where conversations go when their SLA passes, unless the flow says otherwise',
  ),
};
const withDefaults = {
  ...fields,
  timezone: fields.timezone.default('UTC'),
  businessHours: fields.businessHours.default(null),
  holidays: fields.holidays.default([]),
  slackCredential: fields.slackCredential.default(null),
  escalationTeam: fields.escalationTeam.default(null),
};
const TeamCreate = z.strictObject({ id: TeamId, ...withDefaults });
const TeamReplace = z.strictObject(withDefaults);
const TeamPatch = z.strictObject(fields).partial();

export const TeamBody = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  businessHours: z
    .array(z.object({ days: z.array(z.string()), from: z.string(), to: z.string() }))
    .nullable(),
  holidays: z.array(z.string()),
  slackCredential: z.string().nullable(),
  escalationTeam: z.string().nullable(),
  /** Whether the team takes conversations now (its hours and holidays). */
  openNow: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const Params = z.object({ id: TeamId });
/** PUT and PATCH answer alike. */
const updateResponses = {
  200: { description: 'The team', schema: TeamBody },
  400: { description: 'A field is not valid', schema: ErrorBody },
  404: { description: 'Unknown', schema: ErrorBody },
  409: { description: 'team_exists: the name is taken', schema: ErrorBody },
};

type TeamFields = Partial<z.output<typeof TeamReplace>>;

export function teamRoutes(api: Api, rt: Runtime): void {
  const { routing } = rt;
  const view = (t: Team) => ({ ...t, openNow: isTeamOpen(teamView(t), routing.now()) });
  const at = () => routing.now().toISOString();

  /** Checks what zod cannot: unique name, an escalation team that exists, a Slack credential of that type. */
  const refused = async (res: Response, id: string, body: TeamFields): Promise<boolean> => {
    if (body.name !== undefined && (await routing.teams.teamNamed(body.name, id))) {
      sendError(res, 409, 'team_exists', `another team is already called "${body.name}"`);
      return true;
    }
    if (body.escalationTeam) {
      if (body.escalationTeam === id) {
        sendFieldError(res, 'body.escalationTeam', 'a team cannot escalate to itself');
        return true;
      }
      if (!(await routing.teams.getTeam(body.escalationTeam))) {
        sendFieldError(res, 'body.escalationTeam', `there is no team "${body.escalationTeam}"`);
        return true;
      }
    }
    if (body.slackCredential) {
      const type = await routing.teams.credentialType(body.slackCredential);
      if (type !== 'slack') {
        sendFieldError(
          res,
          'body.slackCredential',
          type
            ? `credential "${body.slackCredential}" is a ${type} credential, not a Slack one`
            : `there is no credential "${body.slackCredential}" (add it under /api/credentials)`,
        );
        return true;
      }
    }
    return false;
  };

  const update = async (res: Response, id: string, body: TeamFields) => {
    if (!(await routing.teams.getTeam(id))) return sendNotFound(res, 'team', id);
    if (await refused(res, id, body)) return;
    const team = (await routing.teams.updateTeam(id, body, at()))!;
    // New hours, holidays or zone may have opened it: its queue can go to its agents now.
    await routing.teamChanged(id);
    res.json(view(team));
  };

  api.add({
    method: 'get',
    path: '/api/teams',
    roles: EVERY_ROLE,
    tag: 'routing',
    summary: 'Teams, by id, with whether each is open now',
    responses: { 200: { description: 'Teams', schema: z.object({ items: z.array(TeamBody) }) } },
    handler: async (_input, res) => {
      res.json({ items: (await routing.teams.listTeams()).map(view) });
    },
  });

  api.add({
    method: 'post',
    path: '/api/teams',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Create a team: name, time zone, weekly hours, holidays, Slack channel, escalation team',
    body: TeamCreate,
    responses: {
      201: { description: 'Created', schema: TeamBody },
      400: { description: 'A field is not valid (the message names it)', schema: ErrorBody },
      409: { description: 'team_exists: the id or the name is taken', schema: ErrorBody },
    },
    handler: async ({ body }, res) => {
      if (await routing.teams.getTeam(body.id))
        return sendError(res, 409, 'team_exists', `there is already a team "${body.id}"`);
      if (await refused(res, body.id, body)) return;
      res.status(201).json(view(await routing.teams.createTeam(body, at())));
    },
  });

  api.add({
    method: 'get',
    path: '/api/teams/:id',
    roles: EVERY_ROLE,
    tag: 'routing',
    summary: 'One team',
    params: Params,
    responses: {
      200: { description: 'The team', schema: TeamBody },
      404: { description: 'Unknown', schema: ErrorBody },
    },
    handler: async ({ params }, res) => {
      const team = await routing.teams.getTeam(params.id);
      if (!team) return sendNotFound(res, 'team', params.id);
      res.json(view(team));
    },
  });

  api.add({
    method: 'put',
    path: '/api/teams/:id',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Replace a team’s settings (fields left out take their defaults)',
    params: Params,
    body: TeamReplace,
    responses: updateResponses,
    handler: ({ params, body }, res) => update(res, params.id, body),
  });

  api.add({
    method: 'patch',
    path: '/api/teams/:id',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Change some of a team’s settings',
    params: Params,
    body: TeamPatch,
    responses: updateResponses,
    handler: ({ params, body }, res) => update(res, params.id, body),
  });

  api.add({
    method: 'delete',
    path: '/api/teams/:id',
    roles: ADMINS,
    tag: 'routing',
    summary: 'Delete a team that has no conversations left open and that no team escalates to',
    params: Params,
    responses: {
      204: { description: 'Deleted (its memberships too; closed conversations keep its id)' },
      404: { description: 'Unknown', schema: ErrorBody },
      409: {
        description: 'team_in_use: open conversations, or another team escalates to it',
        schema: ErrorBody,
      },
    },
    handler: async ({ params }, res) => {
      if (!(await routing.teams.getTeam(params.id))) return sendNotFound(res, 'team', params.id);
      const open = await routing.conversations.countActive(params.id);
      if (open > 0)
        return sendError(
          res,
          409,
          'team_in_use',
          `team "${params.id}" has ${open} conversation(s) not closed: close or transfer them first`,
        );
      const escalating = (await routing.teams.teamsEscalatingTo(params.id)).map((t) => t.id);
      if (escalating.length)
        return sendError(
          res,
          409,
          'team_in_use',
          `team(s) ${escalating.join(', ')} escalate to "${params.id}": change their escalation team first`,
        );
      await routing.teams.deleteTeam(params.id);
      res.status(204).end();
    },
  });
}
