import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { PgDb } from './connection.js';

/** A transaction of a PgDb (what `db.transaction` hands its callback). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/**
 * The advisory lock (first key) that serializes changes to who the users are, within a transaction:
 * SQLite got this from its single writer. `createFirstUser`, demotions and removals take it exclusive
 * ("no users yet", "another owner remains" stay true until they commit); adding a user takes it
 * shared, so additions run side by side but never slip between the first-user check and its insert.
 */
const USERS_LOCK = 0x5b_05e7;

/** Held until the transaction ends; statements after it see every change committed before. */
export async function lockUsersExclusive(tx: PgTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${USERS_LOCK})`);
}

export async function lockUsersShared(tx: PgTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${USERS_LOCK})`);
}

/** Orders text by bytes, as SQLite does (Postgres would use the database's collation). */
export function byBytes(column: AnyColumn): SQL {
  return sql`${column} collate "C"`;
}
