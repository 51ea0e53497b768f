import { eq, inArray, type SQLWrapper, sql } from 'drizzle-orm';
import type { AsyncOf } from '../ports.js';
import {
  type Agent,
  type AgentInput,
  type Team,
  type TeamInput,
  type TeamRepository,
  teamNameKey,
  type WeeklyInterval,
} from '../team-repo.js';
import type { PgDb, PgSession } from './connection.js';
import { agents, agentTeams, credentials, routingCursors, teams } from './schema.js';

// Same as the SQLite TeamRepository, but the foreign keys SQLite declares (memberships → agents and
// teams, cursors → teams, deletes cascading) are kept here (see ./tables/routing.ts for why): writes that
// name a team lock it `for share` and fail with `ForeignKeyViolation` when it is missing, and deletes
// remove the parent row first (locking it) and then its children. Ids sort in byte order (`collate "C"`)
// as SQLite sorts text; a unique violation is Postgres's (`duplicate key value…`).

type Tx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
type Queries = PgDb | Tx;

/** `column` in byte order, as SQLite orders text. */
const bytes = (column: SQLWrapper) => sql`${column} collate "C"`;

export class PgTeamRepository implements AsyncOf<TeamRepository> {
  constructor(private readonly db: PgSession) {}

  // --- teams ---

  async createTeam(team: TeamInput, at: string): Promise<Team> {
    const [row] = await this.db
      .insert(teams)
      .values({ ...team, nameKey: teamNameKey(team.name), createdAt: at, updatedAt: at })
      .returning();
    return toTeam(mustExist(row, 'createTeam'));
  }

  async updateTeam(
    id: string,
    changes: Partial<Omit<TeamInput, 'id'>>,
    at: string,
  ): Promise<Team | undefined> {
    const set = { ...changes, ...(changes.name !== undefined ? { nameKey: teamNameKey(changes.name) } : {}) };
    const [row] = await this.db
      .update(teams)
      .set({ ...set, updatedAt: at })
      .where(eq(teams.id, id))
      .returning();
    return row ? toTeam(row) : undefined;
  }

  /** Deletes the team with its memberships and cursor; true if there was one. */
  async deleteTeam(id: string): Promise<boolean> {
    // The team's row first: its lock waits for writers that locked it `for share` (a membership or
    // cursor being added), so the deletes after it, each reading anew, see what they committed.
    return this.db.transaction(async (tx) => {
      const deleted = await tx.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id });
      if (!deleted.length) return false;
      await tx.delete(agentTeams).where(eq(agentTeams.teamId, id));
      await tx.delete(routingCursors).where(eq(routingCursors.teamId, id));
      return true;
    });
  }

  async getTeam(id: string): Promise<Team | undefined> {
    const [row] = await this.db.select().from(teams).where(eq(teams.id, id));
    return row ? toTeam(row) : undefined;
  }

  async findTeam(idOrName: string): Promise<Team | undefined> {
    return (await this.getTeam(idOrName.trim())) ?? (await this.findTeamByName(idOrName));
  }

  async teamNamed(name: string, exceptId?: string): Promise<Team | undefined> {
    const team = await this.findTeamByName(name);
    return team && team.id !== exceptId ? team : undefined;
  }

  async listTeams(): Promise<Team[]> {
    const rows = await this.db.select().from(teams).orderBy(bytes(teams.id));
    return rows.map(toTeam);
  }

  async teamsEscalatingTo(id: string): Promise<Team[]> {
    const rows = await this.db.select().from(teams).where(eq(teams.escalationTeam, id));
    return rows.map(toTeam);
  }

  // --- agents ---

  async createAgent(agent: AgentInput, at: string): Promise<Agent> {
    const { teams: teamIds, ...row } = agent;
    return this.db.transaction(async (tx) => {
      await tx.insert(agents).values({ ...row, createdAt: at, updatedAt: at });
      await setMemberships(tx, agent.id, teamIds);
      return mustExist(await agentById(tx, agent.id), 'createAgent');
    });
  }

  async updateAgent(
    id: string,
    changes: Partial<Omit<AgentInput, 'id'>>,
    at: string,
  ): Promise<Agent | undefined> {
    const { teams: teamIds, ...row } = changes;
    // The update locks the agent's row until commit, so two concurrent membership replacements of the
    // same agent run one after the other instead of interleaving their delete and insert.
    return this.db.transaction(async (tx) => {
      const updated = await tx
        .update(agents)
        .set({ ...row, updatedAt: at })
        .where(eq(agents.id, id))
        .returning({ id: agents.id });
      if (!updated.length) return undefined;
      if (teamIds) await setMemberships(tx, id, teamIds);
      return agentById(tx, id);
    });
  }

  /** Deletes the agent with its memberships (the agent's row first, as `deleteTeam` does). */
  async deleteAgent(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.delete(agents).where(eq(agents.id, id)).returning({ id: agents.id });
      if (!deleted.length) return false;
      await tx.delete(agentTeams).where(eq(agentTeams.agentId, id));
      return true;
    });
  }

  async getAgent(id: string): Promise<Agent | undefined> {
    return agentById(this.db, id);
  }

  async agentOfUser(userId: string): Promise<Agent | undefined> {
    const rows = await this.db.select().from(agents).where(eq(agents.userId, userId));
    return (await withTeams(this.db, rows))[0];
  }

  async listAgents(filter: { team?: string } = {}): Promise<Agent[]> {
    const rows = filter.team
      ? (
          await this.db
            .select({ agent: agents })
            .from(agents)
            .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
            .where(eq(agentTeams.teamId, filter.team))
            .orderBy(bytes(agents.id))
        ).map((r) => r.agent)
      : await this.db.select().from(agents).orderBy(bytes(agents.id));
    return withTeams(this.db, rows);
  }

  // --- round robin ---

  async cursor(teamId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ last: routingCursors.lastAgentId })
      .from(routingCursors)
      .where(eq(routingCursors.teamId, teamId));
    return row?.last ?? null;
  }

  async setCursor(teamId: string, lastAgentId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockTeams(tx, [teamId], 'routing_cursors');
      await tx
        .insert(routingCursors)
        .values({ teamId, lastAgentId })
        .onConflictDoUpdate({ target: routingCursors.teamId, set: { lastAgentId } });
    });
  }

  // --- credentials (read only: the credential store owns them) ---

  async credentialType(name: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ type: credentials.type })
      .from(credentials)
      .where(eq(credentials.name, name));
    return row?.type;
  }

  private async findTeamByName(name: string): Promise<Team | undefined> {
    const [row] = await this.db
      .select()
      .from(teams)
      .where(eq(teams.nameKey, teamNameKey(name)));
    return row ? toTeam(row) : undefined;
  }
}

async function agentById(db: Queries, id: string): Promise<Agent | undefined> {
  const rows = await db.select().from(agents).where(eq(agents.id, id));
  return (await withTeams(db, rows))[0];
}

/** Replaces the agent's memberships; the caller's transaction holds the agent's row (inserted or updated). */
async function setMemberships(tx: Tx, agentId: string, teamIds: readonly string[]): Promise<void> {
  await tx.delete(agentTeams).where(eq(agentTeams.agentId, agentId));
  const unique = [...new Set(teamIds)];
  if (!unique.length) return;
  await lockTeams(tx, unique, 'agent_teams');
  await tx.insert(agentTeams).values(unique.map((teamId) => ({ agentId, teamId })));
}

/**
 * Locks these teams' rows until commit (`for share`: a concurrent `deleteTeam` waits), or throws
 * `ForeignKeyViolation` when one of them does not exist, as SQLite's foreign key on `table` would.
 */
async function lockTeams(tx: Tx, teamIds: readonly string[], table: string): Promise<void> {
  const found = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(inArray(teams.id, [...teamIds]))
    .for('share');
  if (found.length < new Set(teamIds).size) throw new ForeignKeyViolation(table, 'team_id', 'teams');
}

/**
 * What SQLite's `FOREIGN KEY constraint failed` is here: a row names a team that does not exist. Worded
 * (and coded, 23503) as Postgres's own foreign key error.
 */
export class ForeignKeyViolation extends Error {
  readonly code = '23503';
  constructor(table: string, column: string, referenced: string) {
    super(
      `insert or update on table "${table}" violates foreign key constraint "${table}_${column}_${referenced}_id_fk"`,
    );
    this.name = 'ForeignKeyViolation';
  }
}

async function withTeams(db: Queries, rows: Array<typeof agents.$inferSelect>): Promise<Agent[]> {
  if (!rows.length) return [];
  const memberships = await db
    .select()
    .from(agentTeams)
    .where(
      inArray(
        agentTeams.agentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(bytes(agentTeams.teamId));
  const byAgent = new Map<string, string[]>();
  for (const m of memberships) byAgent.set(m.agentId, [...(byAgent.get(m.agentId) ?? []), m.teamId]);
  return rows.map((r) => ({ ...r, skills: r.skills as string[], teams: byAgent.get(r.id) ?? [] }));
}

function toTeam(row: typeof teams.$inferSelect): Team {
  const { nameKey: _key, ...rest } = row;
  return {
    ...rest,
    businessHours: (row.businessHours as WeeklyInterval[] | null) ?? null,
    holidays: row.holidays as string[],
  };
}

/** A row the statement just wrote (Postgres returns it, so its absence is a bug, not a case). */
function mustExist<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new Error(`${what}: the written row was not returned`);
  return row;
}
