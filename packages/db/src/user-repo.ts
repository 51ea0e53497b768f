import { and, asc, count, eq, gt, isNull, lte, ne } from 'drizzle-orm';
import type { Db } from './connection.js';
import { agents, invitations, sessions, users } from './schema.js';

export type UserRow = typeof users.$inferSelect;
/** What may leave the server: everything but the password hash. */
export type UserMeta = Omit<UserRow, 'passwordHash'>;
export type SessionRow = typeof sessions.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
/** A pending invitation as listed: never the token hash. */
export type InvitationMeta = Omit<InvitationRow, 'tokenHash'>;

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: string;
  passwordHash: string;
}

export interface NewSession {
  /** The sha256 (hex) of the cookie's token. */
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: string;
  ip?: string | null;
  userAgent?: string | null;
}

export interface NewInvitation {
  id: string;
  tokenHash: string;
  role: string;
  email?: string | null;
  invitedBy?: string | null;
  expiresAt: string;
}

/** Why accepting an invitation did not create a user. */
export type AcceptFailure = 'gone' | 'email_taken' | 'email_mismatch';

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

/** Addresses are compared lower-cased and trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Users, their sessions and invitations. Hashing (passwords, tokens) is the server's job: this
 * package only stores what it is given. Methods are synchronous; the guarded ones (last owner,
 * accepting an invitation) run in one immediate transaction so two requests cannot race past a check.
 */
export class UserRepository {
  constructor(private readonly db: Db) {}

  // --- users ---

  countUsers(): number {
    return this.db.select({ n: count() }).from(users).get()?.n ?? 0;
  }

  countOwners(): number {
    return this.db.select({ n: count() }).from(users).where(eq(users.role, 'owner')).get()?.n ?? 0;
  }

  /** Adds a user; undefined when the address is taken (the caller answers 409). */
  createUser(user: NewUser, at: string): UserRow | undefined {
    const { changes } = this.db
      .insert(users)
      .values({
        ...user,
        email: normalizeEmail(user.email),
        createdAt: at,
        updatedAt: at,
        lastSignInAt: null,
      })
      .onConflictDoNothing({ target: users.email })
      .run();
    return changes > 0 ? this.getUser(user.id) : undefined;
  }

  /** Creates the user only while there are no users at all (first start); undefined otherwise. */
  createFirstUser(user: NewUser, at: string): UserRow | undefined {
    return this.db.$client
      .transaction(() => (this.countUsers() === 0 ? this.createUser(user, at) : undefined))
      .immediate();
  }

  getUser(id: string): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  getUserByEmail(email: string): UserRow | undefined {
    return this.db
      .select()
      .from(users)
      .where(eq(users.email, normalizeEmail(email)))
      .get();
  }

  listUsers(): UserMeta[] {
    return this.db.select(USER_META).from(users).orderBy(asc(users.email)).all();
  }

  /**
   * Changes name and/or role. Refuses (`last_owner`) to demote the only owner; undefined when there is
   * no such user.
   */
  updateUser(
    id: string,
    changes: { name?: string; role?: string },
    at: string,
  ): UserRow | 'last_owner' | undefined {
    return this.db.$client
      .transaction((): UserRow | 'last_owner' | undefined => {
        const user = this.getUser(id);
        if (!user) return undefined;
        if (
          changes.role !== undefined &&
          user.role === 'owner' &&
          changes.role !== 'owner' &&
          this.countOwners() <= 1
        ) {
          return 'last_owner';
        }
        this.db
          .update(users)
          .set({ ...changes, updatedAt: at })
          .where(eq(users.id, id))
          .run();
        return this.getUser(id);
      })
      .immediate();
  }

  setPasswordHash(id: string, passwordHash: string, at: string): boolean {
    return (
      this.db.update(users).set({ passwordHash, updatedAt: at }).where(eq(users.id, id)).run().changes > 0
    );
  }

  recordSignIn(id: string, at: string): void {
    this.db.update(users).set({ lastSignInAt: at }).where(eq(users.id, id)).run();
  }

  /**
   * Removes the user, their sessions (cascade) and the link from an agent. Refuses (`last_owner`) to
   * remove the only owner; false when there is no such user.
   */
  deleteUser(id: string): boolean | 'last_owner' {
    return this.db.$client
      .transaction((): boolean | 'last_owner' => {
        const user = this.getUser(id);
        if (!user) return false;
        if (user.role === 'owner' && this.countOwners() <= 1) return 'last_owner';
        this.db.delete(sessions).where(eq(sessions.userId, id)).run();
        this.db.update(agents).set({ userId: null }).where(eq(agents.userId, id)).run();
        this.db.delete(users).where(eq(users.id, id)).run();
        return true;
      })
      .immediate();
  }

  /** The agent a user (role `agent`) works as; undefined when not linked. */
  agentIdOfUser(userId: string): string | undefined {
    return this.db.select({ id: agents.id }).from(agents).where(eq(agents.userId, userId)).get()?.id;
  }

  // --- sessions ---

  createSession(session: NewSession, at: string): SessionRow {
    this.db
      .insert(sessions)
      .values({
        ...session,
        ip: session.ip ?? null,
        userAgent: session.userAgent ?? null,
        createdAt: at,
        lastSeenAt: at,
      })
      .run();
    return this.getSession(session.id)!;
  }

  getSession(id: string): SessionRow | undefined {
    return this.db.select().from(sessions).where(eq(sessions.id, id)).get();
  }

  /** The session (if not expired at `now`) with its user. */
  sessionWithUser(id: string, now: string): { session: SessionRow; user: UserRow } | undefined {
    const row = this.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
      .get();
    return row ?? undefined;
  }

  /** Slides the session on: seen at `at`, now expiring at `expiresAt`. */
  touchSession(id: string, at: string, expiresAt: string): void {
    this.db.update(sessions).set({ lastSeenAt: at, expiresAt }).where(eq(sessions.id, id)).run();
  }

  deleteSession(id: string): boolean {
    return this.db.delete(sessions).where(eq(sessions.id, id)).run().changes > 0;
  }

  /** Signs the user out everywhere, except (optionally) the session `exceptId`; returns how many ended. */
  deleteUserSessions(userId: string, exceptId?: string): number {
    const where = exceptId
      ? and(eq(sessions.userId, userId), ne(sessions.id, exceptId))
      : eq(sessions.userId, userId);
    return this.db.delete(sessions).where(where).run().changes;
  }

  listUserSessions(userId: string): SessionRow[] {
    return this.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt))
      .all();
  }

  /** Drops sessions that expired at or before `now`. */
  deleteExpiredSessions(now: string): number {
    return this.db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
  }

  // --- invitations ---

  createInvitation(invitation: NewInvitation, at: string): InvitationMeta {
    this.db
      .insert(invitations)
      .values({
        ...invitation,
        email: invitation.email ? normalizeEmail(invitation.email) : null,
        invitedBy: invitation.invitedBy ?? null,
        createdAt: at,
        acceptedAt: null,
        acceptedBy: null,
      })
      .run();
    return this.getInvitation(invitation.id)!;
  }

  getInvitation(id: string): InvitationMeta | undefined {
    return this.db.select(INVITATION_META).from(invitations).where(eq(invitations.id, id)).get();
  }

  /** By token hash, used or not, expired or not (the caller tells 404 from 410). */
  invitationByTokenHash(tokenHash: string): InvitationMeta | undefined {
    return this.db
      .select(INVITATION_META)
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash))
      .get();
  }

  /** Not accepted and not expired at `now`, oldest first. */
  listPendingInvitations(now: string): InvitationMeta[] {
    return this.db
      .select(INVITATION_META)
      .from(invitations)
      .where(and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .orderBy(asc(invitations.createdAt))
      .all();
  }

  deleteInvitation(id: string): boolean {
    return this.db.delete(invitations).where(eq(invitations.id, id)).run().changes > 0;
  }

  /**
   * Uses the invitation once: in one transaction, checks it is still pending at `at` (else `gone`),
   * that the address matches an address-bound invitation, creates the user with the invited role and
   * marks the invitation accepted. Two concurrent accepts of one token create one user.
   */
  acceptInvitation(tokenHash: string, user: Omit<NewUser, 'role'>, at: string): UserRow | AcceptFailure {
    return this.db.$client
      .transaction((): UserRow | AcceptFailure => {
        const invitation = this.invitationByTokenHash(tokenHash);
        if (!invitation || invitation.acceptedAt !== null || invitation.expiresAt <= at) return 'gone';
        if (invitation.email && invitation.email !== normalizeEmail(user.email)) return 'email_mismatch';
        const created = this.createUser({ ...user, role: invitation.role }, at);
        if (!created) return 'email_taken';
        this.db
          .update(invitations)
          .set({ acceptedAt: at, acceptedBy: created.id })
          .where(eq(invitations.id, invitation.id))
          .run();
        return created;
      })
      .immediate();
  }
}
