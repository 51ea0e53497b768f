import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { closeDb, openDb, openPgPool } from '@switchboard/db';
import { describe } from 'vitest';
import { createHttpServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type Runtime, startRuntime } from '../src/runtime.js';
import { tempDir } from './process-helpers.js';

/**
 * SWITCHBOARD_TEST_SERVER_DB=postgres runs the same server tests on Postgres (the scale-out state), each
 * server on a fresh schema of SWITCHBOARD_TEST_DATABASE_URL, dropped when it closes.
 */
export const TEST_SERVER_ON_POSTGRES = process.env.SWITCHBOARD_TEST_SERVER_DB === 'postgres';
const TEST_DATABASE_URL =
  process.env.SWITCHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The environment that puts a test server on a fresh Postgres schema and its events on BullMQ jobs in
 * Redis (the scale-out mode, in one process); empty when on SQLite.
 */
export async function testDatabaseEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!TEST_SERVER_ON_POSTGRES) return { env: {}, drop: async () => {} };
  const postgres = await freshPostgresEnv();
  return {
    env: {
      ...postgres.env,
      REDIS_URL: TEST_REDIS_URL,
      SWITCHBOARD_REDIS_PREFIX: `${postgres.env.SWITCHBOARD_DATABASE_SCHEMA}:`,
    },
    drop: postgres.drop,
  };
}

/** A fresh Postgres schema for test servers, and the environment that puts them on it. */
export async function freshPostgresEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  // The name carries its creation time: schemas of servers kept for a restart (`keepData`) that are
  // more than an hour old are dropped by later runs.
  const schema = `sb_srv_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = openPgPool({ url: TEST_DATABASE_URL, max: 1 });
  const { rows } = await admin.query<{ name: string }>(
    "select nspname as name from pg_namespace where nspname like 'sb\\_srv\\_%'",
  );
  for (const { name } of rows) {
    const created = Number(name.split('_')[2]);
    if (created < Date.now() - 3_600_000) await admin.query(`drop schema if exists "${name}" cascade`);
  }
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  return {
    env: {
      DATABASE_URL: TEST_DATABASE_URL,
      SWITCHBOARD_DATABASE_SCHEMA: schema,
      SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_API_KEY: `test-key-${randomBytes(12).toString('hex')}`,
    },
    async drop() {
      // Server processes of the test may still hold locks in the schema (a test that kills them last):
      // wait for each lock a few seconds at most, and retry, rather than queue behind them for minutes.
      // A schema that still cannot go is removed by the sweep above once it is an hour old.
      const pool = openPgPool({ url: TEST_DATABASE_URL, max: 1 });
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await pool.query(`set lock_timeout = '3s'`);
            await pool.query(`drop schema if exists "${schema}" cascade`);
            return;
          } catch (err) {
            const code = (err as { code?: string }).code;
            const busy = code === '55P03' || code === '40P01'; // lock timeout, deadlock
            if (!busy || attempt === 5) {
              console.warn(`test schema ${schema} not dropped (${code}): the hourly sweep will`);
              return;
            }
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      } finally {
        await pool.end();
      }
    },
  };
}

/**
 * The whole server in this process on a free port and a fresh data dir. `close` stops it and, unless
 * `keepData` (a test that reopens the database afterwards), removes the data dir.
 */
const kept = new Map<string, Awaited<ReturnType<typeof testDatabaseEnv>>>();

export async function startInProcess(
  env: Record<string, string>,
  options: { prefix?: string; keepData?: boolean } = {},
) {
  const dataDir = tempDir(options.prefix);
  // A server restarted on the data dir of an earlier one (`SWITCHBOARD_DATA_DIR` in env) gets its
  // database back too.
  const reused = env.SWITCHBOARD_DATA_DIR ? kept.get(env.SWITCHBOARD_DATA_DIR) : undefined;
  const database = reused ?? (await testDatabaseEnv());
  kept.set(env.SWITCHBOARD_DATA_DIR ?? dataDir, database);
  const rt: Runtime = await startRuntime(
    loadConfig({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_POLL_MS: '20', ...database.env, ...env }),
    createLogger('silent'),
  );
  const server: Server = createHttpServer(rt).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rt.baseUrl = base;
  return {
    rt,
    server,
    base,
    dataDir,
    async close() {
      server.close();
      server.closeAllConnections();
      await rt.close();
      if (!options.keepData) {
        rmSync(dataDir, { recursive: true, force: true });
        await database.drop();
      }
    },
  };
}

/**
 * Runs one write statement (`?` placeholders) on the database of a stopped test server, whichever it
 * was on: for tests that set up "what a process that died left behind".
 */
export async function writeBehindItsBack(
  server: { dataDir: string; dbPath: string },
  statement: string,
  params: unknown[],
): Promise<void> {
  const postgres = kept.get(server.dataDir)?.env;
  if (postgres?.DATABASE_URL) {
    const pool = openPgPool({
      url: postgres.DATABASE_URL,
      schema: postgres.SWITCHBOARD_DATABASE_SCHEMA,
      max: 1,
    });
    let n = 0;
    await pool.query(
      statement.replace(/\?/g, () => `$${++n}`),
      params,
    );
    await pool.end();
    return;
  }
  const db = openDb({ path: server.dbPath });
  db.$client.prepare(statement).run(...params);
  closeDb(db);
}

export const TEST_REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Why tests of several server processes cannot run here (Postgres, and Redis when asked, unreachable),
 * or null. With SWITCHBOARD_REQUIRE_SERVICES=1 (CI) callers run them anyway, so they fail, not skip.
 */
export async function scaleOutServicesMissing(options: { redis?: boolean } = {}): Promise<string | null> {
  const pool = openPgPool({ url: TEST_DATABASE_URL, max: 1 });
  try {
    await pool.query('select 1');
  } catch (error) {
    return `Postgres unreachable at ${TEST_DATABASE_URL}: ${(error as Error).message}`;
  } finally {
    await pool.end().catch(() => {});
  }
  if (!options.redis) return null;
  const redis = new URL(TEST_REDIS_URL);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(redis.port || 6379), redis.hostname)
      .on('connect', () => {
        socket.end();
        resolve(true);
      })
      .on('error', () => resolve(false));
  });
  return reachable ? null : `Redis unreachable at ${TEST_REDIS_URL}`;
}

/** `describe`, or `describe.skip` (its title saying why) when `missing` names an absent service outside CI. */
export function describeIfServices(missing: string | null, title: string, body: () => void): void {
  if (missing && process.env.SWITCHBOARD_REQUIRE_SERVICES !== '1')
    describe.skip(`${title} (skipped: ${missing})`, body);
  else describe(title, body);
}
