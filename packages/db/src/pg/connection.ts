import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** An open transaction of a `PgDb` (its `transaction` opens a savepoint). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
/** Where a repository runs its statements: the pool, or the caller's transaction it joins. */
export type PgSession = PgDb | PgTx;

export interface PgPoolOptions {
  /** `postgres://user@host:port/database` (the server's DATABASE_URL). */
  url: string;
  /**
   * The schema the tables live in (the connection's `search_path`); default: the server's, i.e.
   * `public`. Tests use one fresh schema each, so they can run side by side on one database.
   */
  schema?: string;
  /** Connections in the pool (pg's default is 10). */
  max?: number;
}

/**
 * A connection pool whose every connection uses `schema` (when given). It does not migrate: see
 * `migratePg`. Sessions run in UTC with ISO dates, so the times read back parse the same whatever the
 * server's defaults. JIT compilation is off: our statements are short, and on the analytics reports'
 * larger plans compiling cost more than it saved (300 ms of a 1 s query over a million messages).
 */
export function openPgPool({ url, schema: searchPath, max }: PgPoolOptions): pg.Pool {
  const settings = ['-c TimeZone=UTC', '-c DateStyle=ISO', '-c jit=off'];
  if (searchPath) settings.push(`-c search_path=${quoteIdent(searchPath)}`);
  const pool = new pg.Pool({ connectionString: url, options: settings.join(' '), ...(max ? { max } : {}) });
  // An idle connection that breaks (the server restarted) is dropped from the pool and the next query
  // opens a new one; without a listener, pg's 'error' event would end the process.
  pool.on('error', () => {});
  return pool;
}

export function pgDb(pool: pg.Pool): PgDb {
  return drizzle({ client: pool, schema }) as PgDb;
}

const MIGRATIONS = fileURLToPath(new URL('../../migrations-pg', import.meta.url));

/** First key of the advisory lock the migrators share; the second is the target schema's name hashed. */
const MIGRATION_LOCK = 0x5b_d0_0d;

/**
 * Applies the pending Postgres migrations (`migrations-pg/`) to the pool's schema (its `search_path`),
 * recording them in that schema's `__drizzle_migrations`. Several processes may start at once: each
 * takes a session-level `pg_advisory_lock` for that schema first, so one migrates while the others
 * wait, and then find nothing left to do.
 */
export async function migratePg(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ schema: string | null }>('select current_schema() as schema');
    const target = rows[0]?.schema;
    if (!target) throw new Error('migratePg: the search_path names no existing schema (create it first)');
    await client.query('select pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, target]);
    try {
      // Lock and migrations share this one connection: the lock is held by the session that migrates.
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS, migrationsSchema: target });
    } finally {
      // A failed unlock leaves the session unusable: drop it (closing the session releases the lock).
      await client
        .query('select pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, target])
        .catch((err: Error) => {
          broken = err;
        });
    }
  } finally {
    client.release(broken);
  }
}

/** `name` as a quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
