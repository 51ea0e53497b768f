import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe } from 'vitest';
import { migratePg, openPgPool, quoteIdent } from '../src/pg/connection.js';

/**
 * Postgres for tests: the machine's server (SWITCHBOARD_TEST_DATABASE_URL, default the `test` database
 * on 127.0.0.1:5432 with trust auth), one fresh schema per test, dropped afterwards.
 */
export const TEST_DATABASE_URL =
  process.env.SWITCHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** CI sets this (see .ci/run): there an unreachable Postgres is a failure, not a skip. */
const servicesRequired = process.env.SWITCHBOARD_REQUIRE_SERVICES === '1';

const HOW_TO_START =
  'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` ' +
  '(or set SWITCHBOARD_TEST_DATABASE_URL)';

async function reachability(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return `Postgres unreachable at ${TEST_DATABASE_URL} (${(err as Error).message}): ${HOW_TO_START}`;
  } finally {
    await client.end().catch(() => {});
  }
}

const missingPostgres = await reachability();

/**
 * `describe` for tests against Postgres. Without a server they are skipped, and the skipped block's
 * title says how to start one; with SWITCHBOARD_REQUIRE_SERVICES=1 they run and fail instead.
 */
export function describeWithPostgres(title: string, body: () => void): void {
  if (missingPostgres && !servicesRequired) {
    console.warn(`db: skipping "${title}": ${missingPostgres}`);
    describe.skip(`${title} (skipped: ${missingPostgres})`, body);
    return;
  }
  describe(title, () => {
    afterEach(dropSchemas);
    body();
  });
}

const opened: Array<{ schema: string; pools: pg.Pool[] }> = [];

/** A new, empty schema (not migrated), dropped with its pools after the test. */
export async function freshSchema(): Promise<string> {
  if (missingPostgres) throw new Error(missingPostgres);
  const schema = `sb_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create schema ${quoteIdent(schema)}`));
  opened.push({ schema, pools: [] });
  return schema;
}

/** A pool on `schema` (one of `freshSchema`'s), closed after the test. */
export function poolOn(schema: string, max?: number): pg.Pool {
  const entry = opened.find((o) => o.schema === schema);
  if (!entry) throw new Error(`poolOn: ${schema} is not a test schema`);
  const pool = openPgPool({ url: TEST_DATABASE_URL, schema, max });
  entry.pools.push(pool);
  return pool;
}

/** A fresh schema with the migrations applied, and a pool on it. */
export async function migratedPool(): Promise<pg.Pool> {
  const pool = poolOn(await freshSchema());
  await migratePg(pool);
  return pool;
}

async function dropSchemas(): Promise<void> {
  const done = opened.splice(0);
  for (const { pools } of done) await Promise.all(pools.map((p) => p.end()));
  if (done.length === 0) return;
  await admin(async (c) => {
    for (const { schema } of done) await c.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
  });
}

/** One short-lived connection outside the test schemas (creating and dropping them). */
export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
