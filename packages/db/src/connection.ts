import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenOptions {
  /** A file path, or `:memory:` for tests. */
  path: string;
  /**
   * `normal` (default) survives process crashes (WAL); `full` also survives power loss,
   * at the price of an fsync per commit.
   */
  synchronous?: 'normal' | 'full';
}

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Opens (creating if needed) the embedded database in WAL mode and applies pending migrations.
 *
 * @example
 * const db = openDb({ path: './data/switchboard.db' });
 */
export function openDb({ path, synchronous = 'normal' }: OpenOptions): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path);
  client.pragma('journal_mode = WAL');
  client.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  // SQLite's own page cache stays at its default (about 2 MiB; the OS caches the file too): a large one
  // made every commit slower (SQLite walks its page hash at the end of each write transaction), and the
  // end-to-end benchmark ran about 10% faster without it, ingest unchanged.
  // Fewer, larger checkpoints: each one fsyncs, and they run on the committing request's time.
  client.pragma('wal_autocheckpoint = 10000');
  const db = drizzle({ client, schema }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

export function closeDb(db: Db): void {
  db.$client.close();
}
