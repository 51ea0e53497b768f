import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from './connection.js';
import { agents, agentTeams, credentials, routingCursors, teams } from './schema.js';

/** One opening interval of a team's week: days `mon`…`sun`, times `HH:MM` (`to` may be `24:00`). */
export interface WeeklyInterval {
  days: string[];
  from: string;
  to: string;
}

export interface Team {
  id: string;
  name: string;
  timezone: string;
  /** Null: always open. */
  businessHours: WeeklyInterval[] | null;
  holidays: string[];
  slackCredential: string | null;
  escalationTeam: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Agent {
  id: string;
  name: string;
  email: string | null;
  role: string;
  skills: string[];
  capacity: number;
  available: boolean;
  /** Ids of the teams the agent works in, sorted. */
  teams: string[];
  /** The user account that works as this agent (an `agent` role signs in as it); null: not linked. */
  userId?: string | null;
  createdAt: string;
  updatedAt: string;
}

export type TeamInput = Omit<Team, 'createdAt' | 'updatedAt'>;
export type AgentInput = Omit<Agent, 'createdAt' | 'updatedAt'>;

/**
 * The key a team name is looked up by: lower case, without accents or surrounding spaces, so
 * "Facturación" and " facturacion " are the same team.
 */
export function teamNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase();
}

/**
 * Teams, agents, which agent works in which team, and each team's round-robin cursor. Methods are
 * synchronous, so the server can read and assign in one transaction.
 */
export class TeamRepository {
  constructor(private readonly db: Db) {}

  // --- teams ---

  createTeam(team: TeamInput, at: string): Team {
    this.db
      .insert(teams)
      .values({ ...team, nameKey: teamNameKey(team.name), createdAt: at, updatedAt: at })
      .run();
    return this.getTeam(team.id)!;
  }

  /** Changes the given fields; undefined when there is no such team. */
  updateTeam(id: string, changes: Partial<Omit<TeamInput, 'id'>>, at: string): Team | undefined {
    const set = { ...changes, ...(changes.name !== undefined ? { nameKey: teamNameKey(changes.name) } : {}) };
    const changed = this.db
      .update(teams)
      .set({ ...set, updatedAt: at })
      .where(eq(teams.id, id))
      .run().changes;
    return changed ? this.getTeam(id) : undefined;
  }

  /** Deletes the team with its memberships and cursor; true if there was one. */
  deleteTeam(id: string): boolean {
    return this.db.delete(teams).where(eq(teams.id, id)).run().changes > 0;
  }

  getTeam(id: string): Team | undefined {
    const row = this.db.select().from(teams).where(eq(teams.id, id)).get();
    return row ? toTeam(row) : undefined;
  }

  /** By id, else by name ignoring case and accents. */
  findTeam(idOrName: string): Team | undefined {
    return this.getTeam(idOrName.trim()) ?? this.findTeamByName(idOrName);
  }

  /** The team (other than `exceptId`) whose name is the same ignoring case and accents. */
  teamNamed(name: string, exceptId?: string): Team | undefined {
    const team = this.findTeamByName(name);
    return team && team.id !== exceptId ? team : undefined;
  }

  listTeams(): Team[] {
    return this.db.select().from(teams).orderBy(asc(teams.id)).all().map(toTeam);
  }

  /** Teams whose `escalation_team` is `id`. */
  teamsEscalatingTo(id: string): Team[] {
    return this.db.select().from(teams).where(eq(teams.escalationTeam, id)).all().map(toTeam);
  }

  // --- agents ---

  /** Creates the agent and its memberships (in the caller's transaction, if any). */
  createAgent(agent: AgentInput, at: string): Agent {
    const { teams: teamIds, ...row } = agent;
    this.db.$client
      .transaction(() => {
        this.db
          .insert(agents)
          .values({ ...row, createdAt: at, updatedAt: at })
          .run();
        this.setMemberships(agent.id, teamIds);
      })
      .immediate();
    return this.getAgent(agent.id)!;
  }

  /** Changes the given fields (`teams` replaces the memberships); undefined when there is no such agent. */
  updateAgent(id: string, changes: Partial<Omit<AgentInput, 'id'>>, at: string): Agent | undefined {
    const { teams: teamIds, ...row } = changes;
    return this.db.$client
      .transaction(() => {
        const changed = this.db
          .update(agents)
          .set({ ...row, updatedAt: at })
          .where(eq(agents.id, id))
          .run().changes;
        if (!changed) return undefined;
        if (teamIds) this.setMemberships(id, teamIds);
        return this.getAgent(id);
      })
      .immediate();
  }

  deleteAgent(id: string): boolean {
    return this.db.delete(agents).where(eq(agents.id, id)).run().changes > 0;
  }

  getAgent(id: string): Agent | undefined {
    const row = this.db.select().from(agents).where(eq(agents.id, id)).get();
    return row ? this.withTeams([row])[0] : undefined;
  }

  /** The agent linked to this user account (`agents.user_id`), with its teams; undefined when none is. */
  agentOfUser(userId: string): Agent | undefined {
    const row = this.db.select().from(agents).where(eq(agents.userId, userId)).get();
    return row ? this.withTeams([row])[0] : undefined;
  }

  /** Every agent, or a team's members, by id. */
  listAgents(filter: { team?: string } = {}): Agent[] {
    const rows = filter.team
      ? this.db
          .select({ agent: agents })
          .from(agents)
          .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
          .where(eq(agentTeams.teamId, filter.team))
          .orderBy(asc(agents.id))
          .all()
          .map((r) => r.agent)
      : this.db.select().from(agents).orderBy(asc(agents.id)).all();
    return this.withTeams(rows);
  }

  // --- round robin ---

  /** The agent of the team who got the last conversation, or null. */
  cursor(teamId: string): string | null {
    return (
      this.db
        .select({ last: routingCursors.lastAgentId })
        .from(routingCursors)
        .where(eq(routingCursors.teamId, teamId))
        .get()?.last ?? null
    );
  }

  setCursor(teamId: string, lastAgentId: string): void {
    this.db
      .insert(routingCursors)
      .values({ teamId, lastAgentId })
      .onConflictDoUpdate({ target: routingCursors.teamId, set: { lastAgentId } })
      .run();
  }

  // --- credentials (read only: the credential store owns them) ---

  /** The type of a stored credential (e.g. `slack`), or undefined when there is none by that name. */
  credentialType(name: string): string | undefined {
    return this.db
      .select({ type: credentials.type })
      .from(credentials)
      .where(eq(credentials.name, name))
      .get()?.type;
  }

  private findTeamByName(name: string): Team | undefined {
    const row = this.db
      .select()
      .from(teams)
      .where(eq(teams.nameKey, teamNameKey(name)))
      .get();
    return row ? toTeam(row) : undefined;
  }

  private setMemberships(agentId: string, teamIds: readonly string[]): void {
    this.db.delete(agentTeams).where(eq(agentTeams.agentId, agentId)).run();
    const unique = [...new Set(teamIds)];
    if (unique.length) {
      this.db
        .insert(agentTeams)
        .values(unique.map((teamId) => ({ agentId, teamId })))
        .run();
    }
  }

  private withTeams(rows: Array<typeof agents.$inferSelect>): Agent[] {
    if (!rows.length) return [];
    const memberships = this.db
      .select()
      .from(agentTeams)
      .where(
        inArray(
          agentTeams.agentId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(agentTeams.teamId))
      .all();
    const byAgent = new Map<string, string[]>();
    for (const m of memberships) byAgent.set(m.agentId, [...(byAgent.get(m.agentId) ?? []), m.teamId]);
    return rows.map((r) => ({ ...r, skills: r.skills as string[], teams: byAgent.get(r.id) ?? [] }));
  }
}

function toTeam(row: typeof teams.$inferSelect): Team {
  const { nameKey: _key, ...rest } = row;
  return {
    ...rest,
    businessHours: (row.businessHours as WeeklyInterval[] | null) ?? null,
    holidays: row.holidays as string[],
  };
}
