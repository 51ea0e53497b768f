import type pg from 'pg';
import { migratePg, type PgDb, pgDb } from '../../src/pg/connection.js';
import { freshSchema, poolOn } from '../pg-harness.js';

/**
 * Two repositories on one migrated schema, each with its own pool: two server processes sharing a
 * database, for the races the Postgres repositories must survive (and the first pool, to look inside).
 */
export async function twoProcesses<T>(make: (db: PgDb) => T): Promise<[T, T, pg.Pool]> {
  const schema = await freshSchema();
  const first = poolOn(schema, 4);
  await migratePg(first);
  return [make(pgDb(first)), make(pgDb(poolOn(schema, 4))), first];
}
