// Queries PgUserRepository runs both on its pool and inside its transactions.
import { count, eq } from 'drizzle-orm';
import { type NewUser, normalizeEmail, type UserRow } from '../user-repo.js';
import type { PgTx } from './account-locks.js';
import type { PgDb } from './connection.js';
import { users } from './schema.js';

type Queryable = PgDb | PgTx;

export async function countUsersIn(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function countOwnersIn(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.role, 'owner'));
  return row?.n ?? 0;
}

export async function userById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Inserts unless the address is taken (then undefined: the caller answers 409). */
export async function insertUser(db: Queryable, user: NewUser, at: string): Promise<UserRow | undefined> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: normalizeEmail(user.email), createdAt: at, updatedAt: at, lastSignInAt: null })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row;
}
