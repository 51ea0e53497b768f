// Same as ../user-repo.ts; the guards SQLite got from its single writer use row locks and an advisory
// lock here (see ./account-locks.ts), and the session → user foreign key is enforced by the repository.
import { and, asc, eq, gt, isNull, lte, ne } from 'drizzle-orm';
import type { AsyncOf } from '../ports.js';
import {
  type AcceptFailure,
  type InvitationMeta,
  type NewInvitation,
  type NewSession,
  type NewUser,
  normalizeEmail,
  type SessionRow,
  type UserMeta,
  type UserRepository,
  type UserRow,
} from '../user-repo.js';
import { byBytes, lockUsersExclusive, lockUsersShared } from './account-locks.js';
import type { PgSession } from './connection.js';
import { agents, invitations, sessions, users } from './schema.js';
import { countOwnersIn, countUsersIn, insertUser, userById } from './user-queries.js';

const USER_META = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  lastSignInAt: users.lastSignInAt,
};

const INVITATION_META = {
  id: invitations.id,
  role: invitations.role,
  email: invitations.email,
  invitedBy: invitations.invitedBy,
  createdAt: invitations.createdAt,
  expiresAt: invitations.expiresAt,
  acceptedAt: invitations.acceptedAt,
  acceptedBy: invitations.acceptedBy,
};

export class PgUserRepository implements AsyncOf<UserRepository> {
  constructor(private readonly db: PgSession) {}

  // --- users ---

  async countUsers(): Promise<number> {
    return countUsersIn(this.db);
  }

  async countOwners(): Promise<number> {
    return countOwnersIn(this.db);
  }

  async createUser(user: NewUser, at: string): Promise<UserRow | undefined> {
    return this.db.transaction(async (tx) => {
      await lockUsersShared(tx);
      return insertUser(tx, user, at);
    });
  }

  async createFirstUser(user: NewUser, at: string): Promise<UserRow | undefined> {
    return this.db.transaction(async (tx) => {
      await lockUsersExclusive(tx);
      return (await countUsersIn(tx)) === 0 ? insertUser(tx, user, at) : undefined;
    });
  }

  async getUser(id: string): Promise<UserRow | undefined> {
    return userById(this.db, id);
  }

  async getUserByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(eq(users.email, normalizeEmail(email)));
    return row;
  }

  async listUsers(): Promise<UserMeta[]> {
    return this.db.select(USER_META).from(users).orderBy(byBytes(users.email));
  }

  async updateUser(
    id: string,
    changes: { name?: string; role?: string },
    at: string,
  ): Promise<UserRow | 'last_owner' | undefined> {
    return this.db.transaction(async (tx): Promise<UserRow | 'last_owner' | undefined> => {
      // Exclusive: two owners demoting each other at once must not both see "another owner remains".
      if (changes.role !== undefined) await lockUsersExclusive(tx);
      const user = await userById(tx, id);
      if (!user) return undefined;
      if (
        changes.role !== undefined &&
        user.role === 'owner' &&
        changes.role !== 'owner' &&
        (await countOwnersIn(tx)) <= 1
      ) {
        return 'last_owner';
      }
      const [updated] = await tx
        .update(users)
        .set({ ...changes, updatedAt: at })
        .where(eq(users.id, id))
        .returning();
      return updated;
    });
  }

  async setPasswordHash(id: string, passwordHash: string, at: string): Promise<boolean> {
    const rows = await this.db
      .update(users)
      .set({ passwordHash, updatedAt: at })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return rows.length > 0;
  }

  async recordSignIn(id: string, at: string): Promise<void> {
    await this.db.update(users).set({ lastSignInAt: at }).where(eq(users.id, id));
  }

  async deleteUser(id: string): Promise<boolean | 'last_owner'> {
    return this.db.transaction(async (tx): Promise<boolean | 'last_owner'> => {
      await lockUsersExclusive(tx);
      // FOR UPDATE waits for a createSession holding the row (key share), so none lands after the
      // sessions are deleted below.
      const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
      if (!user) return false;
      if (user.role === 'owner' && (await countOwnersIn(tx)) <= 1) return 'last_owner';
      await tx.delete(sessions).where(eq(sessions.userId, id));
      await tx.update(agents).set({ userId: null }).where(eq(agents.userId, id));
      await tx.delete(users).where(eq(users.id, id));
      return true;
    });
  }

  async agentIdOfUser(userId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ id: agents.id }).from(agents).where(eq(agents.userId, userId));
    return row?.id;
  }

  // --- sessions ---

  async createSession(session: NewSession, at: string): Promise<SessionRow> {
    return this.db.transaction(async (tx) => {
      // The foreign key SQLite enforces: the user must exist, and stays (key share) until we commit.
      const [owner] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.id, session.userId))
        .for('key share');
      if (!owner) throw new Error('FOREIGN KEY constraint failed');
      const [row] = await tx
        .insert(sessions)
        .values({
          ...session,
          ip: session.ip ?? null,
          userAgent: session.userAgent ?? null,
          createdAt: at,
          lastSeenAt: at,
        })
        .returning();
      if (!row) throw new Error('createSession: the insert returned no row');
      return row;
    });
  }

  async getSession(id: string): Promise<SessionRow | undefined> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.id, id));
    return row;
  }

  async sessionWithUser(
    id: string,
    now: string,
  ): Promise<{ session: SessionRow; user: UserRow } | undefined> {
    const [row] = await this.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)));
    return row;
  }

  async touchSession(id: string, at: string, expiresAt: string): Promise<void> {
    await this.db.update(sessions).set({ lastSeenAt: at, expiresAt }).where(eq(sessions.id, id));
  }

  async deleteSession(id: string): Promise<boolean> {
    const rows = await this.db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
    return rows.length > 0;
  }

  async deleteUserSessions(userId: string, exceptId?: string): Promise<number> {
    const where = exceptId
      ? and(eq(sessions.userId, userId), ne(sessions.id, exceptId))
      : eq(sessions.userId, userId);
    const rows = await this.db.delete(sessions).where(where).returning({ id: sessions.id });
    return rows.length;
  }

  /** Oldest first; sessions created at the same instant by id (SQLite: by insertion). */
  async listUserSessions(userId: string): Promise<SessionRow[]> {
    return this.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt), byBytes(sessions.id));
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const rows = await this.db
      .delete(sessions)
      .where(lte(sessions.expiresAt, now))
      .returning({ id: sessions.id });
    return rows.length;
  }

  // --- invitations ---

  async createInvitation(invitation: NewInvitation, at: string): Promise<InvitationMeta> {
    const [row] = await this.db
      .insert(invitations)
      .values({
        ...invitation,
        email: invitation.email ? normalizeEmail(invitation.email) : null,
        invitedBy: invitation.invitedBy ?? null,
        createdAt: at,
        acceptedAt: null,
        acceptedBy: null,
      })
      .returning(INVITATION_META);
    if (!row) throw new Error('createInvitation: the insert returned no row');
    return row;
  }

  async getInvitation(id: string): Promise<InvitationMeta | undefined> {
    const [row] = await this.db.select(INVITATION_META).from(invitations).where(eq(invitations.id, id));
    return row;
  }

  async invitationByTokenHash(tokenHash: string): Promise<InvitationMeta | undefined> {
    const [row] = await this.db
      .select(INVITATION_META)
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash));
    return row;
  }

  /** Oldest first; invitations created at the same instant by id (SQLite: by insertion). */
  async listPendingInvitations(now: string): Promise<InvitationMeta[]> {
    return this.db
      .select(INVITATION_META)
      .from(invitations)
      .where(and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .orderBy(asc(invitations.createdAt), byBytes(invitations.id));
  }

  async deleteInvitation(id: string): Promise<boolean> {
    const rows = await this.db
      .delete(invitations)
      .where(eq(invitations.id, id))
      .returning({ id: invitations.id });
    return rows.length > 0;
  }

  async acceptInvitation(
    tokenHash: string,
    user: Omit<NewUser, 'role'>,
    at: string,
  ): Promise<UserRow | AcceptFailure> {
    return this.db.transaction(async (tx): Promise<UserRow | AcceptFailure> => {
      await lockUsersShared(tx);
      // FOR UPDATE: a second accept of the same token waits here, then sees it accepted ('gone').
      const [invitation] = await tx
        .select(INVITATION_META)
        .from(invitations)
        .where(eq(invitations.tokenHash, tokenHash))
        .for('update');
      if (!invitation || invitation.acceptedAt !== null || invitation.expiresAt <= at) return 'gone';
      if (invitation.email && invitation.email !== normalizeEmail(user.email)) return 'email_mismatch';
      const created = await insertUser(tx, { ...user, role: invitation.role }, at);
      if (!created) return 'email_taken';
      await tx
        .update(invitations)
        .set({ acceptedAt: at, acceptedBy: created.id })
        .where(eq(invitations.id, invitation.id));
      return created;
    });
  }
}
