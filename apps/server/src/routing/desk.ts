import type {
  Conversation,
  ConversationRepository,
  ConversationState,
  Db,
  Team,
  TeamRepository,
} from '@switchboard/db';
import { type AgentLoad, type AssignStrategy, isTeamOpen, nextOpening, pickAgent } from '@switchboard/nodes';
import { teamView } from './views.js';

/** Queued conversations looked at per team and drain (the rest wait for the next one). */
const DRAIN_BATCH = 500;

const hasRoom = (a: AgentLoad) => a.available && a.open < a.capacity;

/**
 * The synchronous core of routing: queues and assignment over the database. Every method runs in an
 * immediate transaction (a savepoint inside the caller's), so reading agents' loads and assigning is one
 * step: two assignments can never both take an agent's last free place.
 */
export class Desk {
  constructor(
    readonly db: Db,
    readonly teams: TeamRepository,
    readonly conversations: ConversationRepository,
  ) {}

  tx<T>(work: () => T): T {
    return this.db.$client.transaction(work).immediate();
  }

  isOpen(team: Team, at: Date): boolean {
    return isTeamOpen(teamView(team), at);
  }

  /** Why a conversation that cannot have an agent now waits. */
  queueReason(team: Team, at: Date): 'after_hours' | 'no_agent_available' {
    return this.isOpen(team, at) ? 'no_agent_available' : 'after_hours';
  }

  /**
   * When a first-response SLA of `minutes` runs out. It starts now, or when the team next opens for a
   * conversation that arrives after hours (customers are not counted as waiting while nobody works);
   * a team that never opens again starts it now, so the conversation still escalates.
   */
  slaDueAt(team: Team, minutes: number | null, at: Date): string | null {
    if (minutes === null) return null;
    const start = nextOpening(teamView(team), at) ?? at;
    return new Date(start.getTime() + minutes * 60_000).toISOString();
  }

  /** The team's members with how many conversations each holds now (in any team). */
  loads(teamId: string): AgentLoad[] {
    const members = this.teams.listAgents({ team: teamId });
    const held = this.conversations.heldCounts(members.map((a) => a.id));
    return members.map((a) => ({
      id: a.id,
      name: a.name,
      skills: a.skills,
      capacity: a.capacity,
      available: a.available,
      open: held.get(a.id) ?? 0,
    }));
  }

  /**
   * Gives the team's queued conversations to its agents, highest priority first and then the oldest,
   * while the team is open and an agent has room. A conversation no agent has the skills for is passed
   * over (it does not block the ones behind it). Returns the ids assigned.
   */
  drainTeam(teamId: string, at: Date): string[] {
    // Looked at first without the write lock: the loop drains every team with a queue each tick, and
    // most of the time nobody has room.
    if (!this.canServe(teamId, at)) return [];
    return this.tx(() => {
      const agents = this.canServe(teamId, at);
      if (!agents) return [];
      let last = this.teams.cursor(teamId);
      const assigned: string[] = [];
      const iso = at.toISOString();
      for (const c of this.conversations.queued(teamId, DRAIN_BATCH)) {
        if (!agents.some(hasRoom)) break;
        const agent = pickAgent({
          agents,
          strategy: c.strategy as AssignStrategy,
          skills: c.skills,
          lastAgentId: last,
        });
        if (!agent) continue;
        this.conversations.assign(c.id, agent.id, iso, { team: teamId, strategy: c.strategy });
        agent.open++;
        last = agent.id;
        assigned.push(c.id);
      }
      if (last && assigned.length) this.teams.setCursor(teamId, last);
      return assigned;
    });
  }

  /** The team's agents' loads when it is open and one of them has room; else null. */
  private canServe(teamId: string, at: Date): AgentLoad[] | null {
    const team = this.teams.getTeam(teamId);
    if (!team || !this.isOpen(team, at)) return null;
    const agents = this.loads(teamId);
    return agents.some(hasRoom) ? agents : null;
  }

  /** Drains each of these teams (duplicates once); returns how many conversations were assigned. */
  drain(teamIds: Iterable<string>, at: Date): number {
    let assigned = 0;
    for (const id of new Set(teamIds)) assigned += this.drainTeam(id, at).length;
    return assigned;
  }

  /**
   * Moves a conversation into `team`'s queue (no agent, SLA kept) and lets the team's agents take it.
   * Returns the conversation as it ends up.
   */
  moveToQueue(
    c: Conversation,
    team: Team,
    at: Date,
    event: { kind: string; data: Record<string, unknown> },
  ): Conversation {
    this.conversations.change(
      c.id,
      {
        teamId: team.id,
        agentId: null,
        state: 'queued',
        queuedBecause: this.queueReason(team, at),
        assignedAt: null,
      },
      event,
      at.toISOString(),
    );
    this.drainTeam(team.id, at);
    return this.conversations.get(c.id)!;
  }

  /**
   * Puts an agent's conversations in these states back in their teams' queues (the agent went away),
   * then lets the other agents take them. Returns the teams touched.
   */
  release(agentId: string, states: readonly ConversationState[], reason: string, at: Date): string[] {
    return this.tx(() => {
      const teams = new Set<string>();
      for (const c of this.conversations.ofAgent(agentId, states)) {
        const team = this.teams.getTeam(c.teamId);
        this.conversations.queue(
          c.id,
          team ? this.queueReason(team, at) : 'no_agent_available',
          at.toISOString(),
          {
            because: reason,
            from: agentId,
          },
        );
        teams.add(c.teamId);
      }
      this.drain(teams, at);
      return [...teams];
    });
  }
}
