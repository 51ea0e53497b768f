import type { Agent } from '@switchboard/db';
import type { Response } from 'express';
import { type Principal, sendError } from '../api.js';
import type { Runtime } from '../runtime.js';

/**
 * What an `agent` principal may see of the inbox: the conversations of the teams their linked agent
 * (`agents.user_id`) works in, and those conversations' contacts and messages. An agent principal
 * with no linked agent (or an API key with no user) sees nothing. Null for every other role: no limit.
 */
export interface InboxScope {
  /** The agent linked to the principal's user; undefined when none is. */
  agent: Agent | undefined;
  /** The teams whose inbox they see (empty: nothing). */
  teams: string[];
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

export async function inboxScope(rt: Runtime, res: Response): Promise<InboxScope | null> {
  const principal = principalOf(res);
  if (principal?.role !== 'agent') return null;
  const agent = principal.userId ? await rt.routing.teams.agentOfUser(principal.userId) : undefined;
  return { agent, teams: agent?.teams ?? [] };
}

/**
 * Outside the caller's inbox: answers 404 with the same words as for an id that does not exist (an
 * agent learns nothing about other teams' conversations), and returns true.
 */
export function hiddenFrom(scope: InboxScope | null, teamId: string, res: Response, what: string): boolean {
  if (!scope || scope.teams.includes(teamId)) return false;
  sendError(res, 404, 'not_found', what);
  return true;
}
