import type { Conversation, ConversationState, Database, Repositories, Team } from '@switchboard/db';
import { type AgentLoad, type AssignStrategy, isTeamOpen, nextOpening, pickAgent } from '@switchboard/nodes';
import { recordingChanges, type Touched } from '../inbox/conversation-changes.js';
import { teamView } from './views.js';

/** Queued conversations looked at per team and drain (the rest wait for the next one). */
const DRAIN_BATCH = 500;

const hasRoom = (a: AgentLoad) => a.available && a.open < a.capacity;

/**
 * The core of routing: queues and assignment over the database. Reading agents' loads and assigning
 * happen in one transaction (`database.transaction`), so two assignments can never both take an agent's
 * last free place. The methods ending in `In` run inside a transaction the caller holds, with its
 * repositories `r`; the others open their own.
 */
export class Desk {
  /**
   * @param onChanged after each transaction that changed conversations commits: their ids, with the
   * last history kind written for each (the inbox's live stream).
   */
  constructor(
    readonly database: Database,
    private readonly onChanged?: (touched: Map<string, Touched>) => Promise<void>,
  ) {}

  /** Teams and agents, outside any transaction. */
  get teams(): Repositories['teams'] {
    return this.database.repos.teams;
  }

  /** Conversations, outside any transaction. */
  get conversations(): Repositories['conversations'] {
    return this.database.repos.conversations;
  }

  /**
   * Runs `work` in one transaction; it must use only the repositories it is given. Conversations it
   * changed are reported to `onChanged` once it committed.
   */
  async tx<T>(work: (r: Repositories) => Promise<T>): Promise<T> {
    if (!this.onChanged) return this.database.transaction(work);
    const touched = new Map<string, Touched>();
    const result = await this.database.transaction((r) => work(recordingChanges(r, touched)));
    if (touched.size) await this.onChanged(touched);
    return result;
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
  async loads(r: Repositories, teamId: string): Promise<AgentLoad[]> {
    const members = await r.teams.listAgents({ team: teamId });
    const held = await r.conversations.heldCounts(members.map((a) => a.id));
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
  async drainTeam(teamId: string, at: Date): Promise<string[]> {
    // Looked at first without the write lock: the loop drains every team with a queue each tick, and
    // most of the time nobody has room.
    if (!(await this.canServe(this.database.repos, teamId, at))) return [];
    return this.tx((r) => this.drainTeamIn(r, teamId, at));
  }

  /** `drainTeam` inside the caller's transaction. */
  async drainTeamIn(r: Repositories, teamId: string, at: Date): Promise<string[]> {
    const agents = await this.canServe(r, teamId, at);
    if (!agents) return [];
    let last = await r.teams.cursor(teamId);
    const assigned: string[] = [];
    const iso = at.toISOString();
    for (const c of await r.conversations.queued(teamId, DRAIN_BATCH)) {
      if (!agents.some(hasRoom)) break;
      const agent = pickAgent({
        agents,
        strategy: c.strategy as AssignStrategy,
        skills: c.skills,
        lastAgentId: last,
      });
      if (!agent) continue;
      await r.conversations.assign(c.id, agent.id, iso, { team: teamId, strategy: c.strategy });
      agent.open++;
      last = agent.id;
      assigned.push(c.id);
    }
    if (last && assigned.length) await r.teams.setCursor(teamId, last);
    return assigned;
  }

  /** The team's agents' loads when it is open and one of them has room; else null. */
  private async canServe(r: Repositories, teamId: string, at: Date): Promise<AgentLoad[] | null> {
    const team = await r.teams.getTeam(teamId);
    if (!team || !this.isOpen(team, at)) return null;
    const agents = await this.loads(r, teamId);
    return agents.some(hasRoom) ? agents : null;
  }

  /** Drains each of these teams (duplicates once); returns how many conversations were assigned. */
  async drain(teamIds: Iterable<string>, at: Date): Promise<number> {
    let assigned = 0;
    for (const id of new Set(teamIds)) assigned += (await this.drainTeam(id, at)).length;
    return assigned;
  }

  /** `drain` inside the caller's transaction. */
  async drainIn(r: Repositories, teamIds: Iterable<string>, at: Date): Promise<number> {
    let assigned = 0;
    for (const id of new Set(teamIds)) assigned += (await this.drainTeamIn(r, id, at)).length;
    return assigned;
  }

  /**
   * Moves a conversation into `team`'s queue (no agent, SLA kept) and lets the team's agents take it,
   * inside the caller's transaction. Returns the conversation as it ends up.
   */
  async moveToQueueIn(
    r: Repositories,
    c: Conversation,
    team: Team,
    at: Date,
    event: { kind: string; data: Record<string, unknown> },
  ): Promise<Conversation> {
    await r.conversations.change(
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
    await this.drainTeamIn(r, team.id, at);
    return (await r.conversations.get(c.id))!;
  }

  /**
   * Puts an agent's conversations in these states back in their teams' queues (the agent went away),
   * then lets the other agents take them. Returns the teams touched.
   */
  release(
    agentId: string,
    states: readonly ConversationState[],
    reason: string,
    at: Date,
  ): Promise<string[]> {
    return this.tx(async (r) => {
      const teams = new Set<string>();
      for (const c of await r.conversations.ofAgent(agentId, states)) {
        const team = await r.teams.getTeam(c.teamId);
        await r.conversations.queue(
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
      await this.drainIn(r, teams, at);
      return [...teams];
    });
  }
}
