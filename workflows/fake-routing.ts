import type { Clock } from '@switchboard/engine';
import {
  type AgentLoad,
  type AssignOutcome,
  type AssignRequest,
  type Escalation,
  isTeamOpen,
  nextOpening,
  type Priority,
  pickAgent,
  priorityRank,
  type RoutingService,
  type TeamView,
} from '@switchboard/nodes';

/** A team as `example-teams.json` (and `POST /api/teams`) writes it. */
export interface ExampleTeam extends TeamView {
  escalationTeam: string | null;
}

/** An agent as `example-teams.json` (and `POST /api/agents`) writes it. */
export interface ExampleAgent {
  id: string;
  name: string;
  email: string | null;
  role: string;
  skills: string[];
  capacity: number;
  available: boolean;
  teams: string[];
}

export interface ExampleTeams {
  teams: ExampleTeam[];
  agents: ExampleAgent[];
}

/** Per-case changes to agents, by agent id, e.g. `{ "lucia": { "available": false } }`. */
export type AgentOverrides = Record<string, Partial<Pick<ExampleAgent, 'available' | 'capacity' | 'skills'>>>;

/** A conversation as a case expects it. */
export interface ConversationSummary {
  team: string;
  /** Agent id; null while it waits in the queue. */
  agent: string | null;
  state: 'queued' | 'assigned';
  priority: Priority;
}

interface Conversation extends ConversationSummary {
  id: string;
  seq: number;
  waId: string;
  channel: string;
  queuedBecause: 'after_hours' | 'no_agent_available' | null;
  strategy: AssignRequest['strategy'];
  skills: string[];
  summary: string;
  slaDueAt: string | null;
  escalation: Escalation | null;
}

/** Team names match ignoring case and accents, as the server's. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase();

/**
 * The server's routing side in memory, for the fast example harness, built on the same pure helpers
 * (`isTeamOpen`, `pickAgent`, `priorityRank`, `nextOpening`): teams found by id or name, a queue per
 * team served by priority then age while the team is open, agents taken round robin (or fewest open)
 * within their capacity and skills, the contact's open conversation reused, and one outcome per
 * idempotency key. Nobody ever picks a conversation up here, so SLA escalation is left to the server
 * test (`apps/server/test/routing-examples.test.ts`).
 */
export function fakeRouting(clock: Clock, setup: ExampleTeams, overrides: AgentOverrides = {}) {
  const teams = setup.teams.map((t) => structuredClone(t));
  for (const id of Object.keys(overrides))
    if (!setup.agents.some((a) => a.id === id)) throw new Error(`case overrides unknown agent "${id}"`);
  const agents = setup.agents.map((a) => ({ ...structuredClone(a), ...overrides[a.id] }));
  const conversations: Conversation[] = [];
  const cursors = new Map<string, string>();
  const outcomes = new Map<string, AssignOutcome>();
  let seq = 0;

  const findTeam = (idOrName: string) =>
    teams.find((t) => t.id === idOrName.trim()) ?? teams.find((t) => fold(t.name) === fold(idOrName));
  const view = (t: ExampleTeam): TeamView => ({
    id: t.id,
    name: t.name,
    timezone: t.timezone,
    businessHours: t.businessHours,
    holidays: t.holidays,
    slackCredential: t.slackCredential,
  });
  const loads = (teamId: string): AgentLoad[] =>
    agents
      .filter((a) => a.teams.includes(teamId))
      .map((a) => ({
        id: a.id,
        name: a.name,
        skills: a.skills,
        capacity: a.capacity,
        available: a.available,
        // Held in any team, as the server counts.
        open: conversations.filter((c) => c.agent === a.id && c.state === 'assigned').length,
      }));
  const queueReason = (team: ExampleTeam, at: Date) =>
    isTeamOpen(team, at) ? ('no_agent_available' as const) : ('after_hours' as const);
  const slaDueAt = (team: ExampleTeam, minutes: number | null, at: Date) => {
    if (minutes === null) return null;
    const start = nextOpening(team, at) ?? at;
    return new Date(start.getTime() + minutes * 60_000).toISOString();
  };

  /** Gives the team's queue to its agents, highest priority first, then the oldest, while it is open. */
  const drainTeam = (teamId: string, at: Date) => {
    const team = teams.find((t) => t.id === teamId);
    if (!team || !isTeamOpen(team, at)) return;
    const queue = conversations
      .filter((c) => c.team === teamId && c.state === 'queued')
      .sort((a, b) => priorityRank(b.priority) - priorityRank(a.priority) || a.seq - b.seq);
    for (const c of queue) {
      const agent = pickAgent({
        agents: loads(teamId),
        strategy: c.strategy,
        skills: c.skills,
        lastAgentId: cursors.get(teamId) ?? null,
      });
      if (!agent) continue;
      Object.assign(c, { agent: agent.id, state: 'assigned', queuedBecause: null });
      cursors.set(teamId, agent.id);
    }
  };

  const service: RoutingService = {
    async team({ team }) {
      const found = findTeam(team);
      return found ? view(found) : null;
    },
    async assign(req: AssignRequest): Promise<AssignOutcome> {
      const prior = outcomes.get(req.idempotencyKey);
      if (prior) return prior;
      const team = findTeam(req.team);
      if (!team) {
        const known = teams.map((t) => `${t.id} (${t.name})`).join(', ');
        return {
          ok: false,
          reason: 'unknown_team',
          message: `there is no team "${req.team}"; the teams are: ${known}`,
        };
      }
      const at = clock.now();
      const common = {
        priority: req.priority,
        strategy: req.strategy,
        skills: req.skills,
        summary: req.summary,
      };
      const existing = conversations.find(
        (c) => c.waId === req.contact.waId && c.channel === req.contact.channel,
      );
      let c: Conversation;
      if (existing && existing.team === team.id) {
        // Same team: it keeps its agent and its place in the queue.
        c = Object.assign(existing, common);
      } else if (existing) {
        // Another team: it moves there as a new request.
        c = Object.assign(existing, common, {
          team: team.id,
          agent: null,
          state: 'queued',
          slaDueAt: slaDueAt(team, req.slaMinutes, at),
          escalation: req.escalation,
        } satisfies Partial<Conversation>);
      } else {
        c = {
          id: `conv_${++seq}`,
          seq,
          waId: req.contact.waId,
          channel: req.contact.channel,
          team: team.id,
          agent: null,
          state: 'queued',
          queuedBecause: null,
          slaDueAt: slaDueAt(team, req.slaMinutes, at),
          escalation: req.escalation,
          ...common,
        };
        conversations.push(c);
      }
      if (existing && existing.team !== team.id) drainTeam(existing.team, at);
      drainTeam(team.id, at);
      // Why it waits: the team is closed now, or nobody can take it.
      c.queuedBecause = c.state === 'queued' ? queueReason(team, at) : null;
      const agent = c.agent ? agents.find((a) => a.id === c.agent)! : null;
      const outcome: AssignOutcome = {
        ok: true,
        conversationId: c.id,
        team: { id: team.id, name: team.name },
        agent: agent ? { id: agent.id, name: agent.name } : null,
        state: c.state,
        queuedBecause: c.queuedBecause,
        priority: c.priority,
        slaDueAt: c.slaDueAt,
        reused: existing !== undefined,
      };
      outcomes.set(req.idempotencyKey, outcome);
      return outcome;
    },
  };

  return {
    service,
    /** Every conversation, oldest first, as cases write them. */
    conversations: (): ConversationSummary[] =>
      conversations.map(({ team, agent, state, priority }) => ({ team, agent, state, priority })),
    /** What the server's routing loop does each second: queues of teams that opened go to their agents. */
    drain: () => {
      for (const t of teams) drainTeam(t.id, clock.now());
    },
  };
}
