import {
  closeDb,
  type Database,
  type Db,
  migratePg,
  openDb,
  openPgPool,
  PgRunStore,
  pgDatabase,
  pgDb,
  SqliteRunStore,
  sqliteDatabase,
} from '@switchboard/db';
import type { RunState, RunStore } from '@switchboard/engine';
import { SIMULATOR_CHANNEL } from './channels.js';
import type { Config } from './config.js';
import type { AppLogger } from './logger.js';
import { acquireLock } from './process-lock.js';

/** Where the state lives: the repositories, the engine's run store, and how to check and close them. */
export interface Storage {
  database: Database;
  store: RunStore;
  /** The raw SQLite handle in the embedded mode (SQLite-only tools: benchmarks, key rotation). */
  db: Db | undefined;
  /** True when this process owns the database alone (SQLite): what a previous process left is void. */
  embedded: boolean;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * SQLite in the data dir (one process holds it, with the data-dir lock), or Postgres when DATABASE_URL
 * is set (any number of processes; migrations applied at start under an advisory lock).
 */
export async function openStorage(config: Config, logger: AppLogger): Promise<Storage> {
  if (config.database.kind === 'postgres') {
    const pool = openPgPool({ url: config.database.url, schema: config.database.schema });
    try {
      await migratePg(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const db = pgDb(pool);
    logger.info({ schema: config.database.schema ?? 'public' }, 'state in Postgres (DATABASE_URL)');
    return {
      database: pgDatabase(db, { simulatorChannel: SIMULATOR_CHANNEL }),
      store: new PgRunStore<RunState>(pool),
      db: undefined,
      embedded: false,
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  const lock = acquireLock(config.dataDir);
  try {
    const db = openDb({ path: config.dbPath, synchronous: config.sqliteSynchronous });
    const store = new SqliteRunStore<RunState>(db);
    // One process owns the database: leases left by a previous process that died are void.
    const orphaned = store.releaseAllLeases();
    if (orphaned > 0) logger.warn({ runs: orphaned }, 'resuming runs left by a previous process');
    return {
      database: sqliteDatabase(db, { simulatorChannel: SIMULATOR_CHANNEL }),
      store,
      db,
      embedded: true,
      ping: async () => {
        db.$client.prepare('select 1').get();
      },
      close: async () => {
        closeDb(db);
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
