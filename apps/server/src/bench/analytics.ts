import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  AnalyticsQueries,
  type AnalyticsQuery,
  type Database,
  migratePg,
  openDb,
  openPgPool,
  pgDatabase,
  pgDb,
  sqliteDatabase,
} from '@switchboard/db';
import { END, pgSeed, SPAN_DAYS, sqliteSeed } from './analytics-seed.js';

/**
 * How long each `/api/analytics/*` query takes over a million messages: the data set of
 * analytics-seed.ts, written in bulk, then each report (median of 5, after one warm-up) for the last 30
 * and the last 90 days, per local day in America/Mexico_City. SQLite, and Postgres when it answers
 * (BENCH_ANALYTICS_PG=0 skips it; a seed that takes longer than BENCH_ANALYTICS_PG_SEED_S, 180 s by
 * default, is abandoned and reported as skipped).
 */
const MESSAGES = Number(process.env.BENCH_ANALYTICS_MESSAGES ?? 1_000_000);
const REPEATS = 5;
const TIME_ZONE = 'America/Mexico_City';
const PG_SEED_LIMIT_S = Number(process.env.BENCH_ANALYTICS_PG_SEED_S ?? 180);
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.SWITCHBOARD_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const REPORTS = ['messaging', 'flows', 'routing', 'consent'] as const;
type Report = (typeof REPORTS)[number];

export interface AnalyticsBenchRow {
  database: 'SQLite' | 'Postgres';
  report: Report | 'seed';
  days: number;
  /** Messages created in the range. */
  messages: number;
  /** Median of the timed runs (for `seed`: the one bulk load), ms. */
  medianMs: number;
  /** Why this database was not measured, when it was not. */
  skipped?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(
  database: Database,
  name: AnalyticsBenchRow['database'],
): Promise<AnalyticsBenchRow[]> {
  const rows: AnalyticsBenchRow[] = [];
  for (const days of [30, SPAN_DAYS]) {
    const query: AnalyticsQuery = {
      from: new Date(Date.parse(END) - days * 86_400_000).toISOString(),
      to: END,
      timeZone: TIME_ZONE,
      now: END,
    };
    for (const report of REPORTS) {
      const run = () => database.repos.analytics[report](query);
      const first = await run(); // warm-up; also tells how many messages the range holds
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      const messages =
        report === 'messaging' && 'totals' in first ? (first.totals as { messages: number }).messages : 0;
      rows.push({ database: name, report, days, messages, medianMs: median(times) });
    }
    const inRange = rows.find((r) => r.days === days && r.report === 'messaging')?.messages ?? 0;
    for (const r of rows) if (r.days === days) r.messages = inRange;
  }
  return rows;
}

async function sqliteRows(): Promise<AnalyticsBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-analytics-bench-'));
  try {
    const db = openDb({ path: join(dir, 'bench.db') });
    const start = performance.now();
    db.$client.transaction(() => {
      for (const statement of sqliteSeed(MESSAGES)) db.$client.exec(statement);
    })();
    // What a worker's fold loop does as the messages arrive (apps/server/src/analytics/fold-loop.ts).
    const counts = new AnalyticsQueries(db);
    while (counts.foldMessageCounts() > 0);
    db.$client.exec('analyze');
    // The seed went through the write-ahead log: fold it into the database file, as a running server's
    // checkpoints do, so the queries do not read a million fresh pages through the log.
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const seedMs = performance.now() - start;
    const seed: AnalyticsBenchRow = {
      database: 'SQLite',
      report: 'seed',
      days: SPAN_DAYS,
      messages: MESSAGES,
      medianMs: seedMs,
    };
    const rows = await measure(sqliteDatabase(db, { simulatorChannel: 'simulator' }), 'SQLite');
    db.$client.close();
    return [seed, ...rows];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRows(): Promise<AnalyticsBenchRow[]> {
  const skipped = (why: string): AnalyticsBenchRow[] => [
    { database: 'Postgres', report: 'seed', days: SPAN_DAYS, messages: MESSAGES, medianMs: 0, skipped: why },
  ];
  if (process.env.BENCH_ANALYTICS_PG === '0') return skipped('BENCH_ANALYTICS_PG=0');
  const schema = `sb_bench_analytics_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = openPgPool({ url: DATABASE_URL, max: 1 });
  try {
    await admin.query(`create schema "${schema}"`);
  } catch (error) {
    await admin.end().catch(() => {});
    return skipped(
      `Postgres unreachable at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message})`,
    );
  }
  const pool = openPgPool({ url: DATABASE_URL, schema, max: 4 });
  try {
    await migratePg(pool);
    const start = performance.now();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`set local statement_timeout = ${PG_SEED_LIMIT_S * 1000}`);
      await client.query('set local synchronous_commit = off');
      for (const statement of pgSeed(MESSAGES)) await client.query(statement);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      return skipped(`seeding took longer than ${PG_SEED_LIMIT_S} s or failed (${(error as Error).message})`);
    } finally {
      client.release();
    }
    const database = pgDatabase(pgDb(pool), { simulatorChannel: 'simulator' });
    while ((await database.repos.analytics.foldMessageCounts()) > 0);
    // What autovacuum does to a live table: without it, index-only scans still visit every heap page.
    for (const table of [
      'outbox',
      'outbox_statuses',
      'runs',
      'run_steps',
      'conversations',
      'conversation_events',
      'inbound_events',
      'message_counts',
      'message_count_changes',
    ])
      await pool.query(`vacuum analyze ${table}`);
    const seedMs = performance.now() - start;
    const seed: AnalyticsBenchRow = {
      database: 'Postgres',
      report: 'seed',
      days: SPAN_DAYS,
      messages: MESSAGES,
      medianMs: seedMs,
    };
    return [seed, ...(await measure(database, 'Postgres'))];
  } finally {
    await pool.end();
    await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
    await admin.end();
  }
}

export async function runAnalyticsBench(): Promise<AnalyticsBenchRow[]> {
  return [...(await sqliteRows()), ...(await postgresRows())];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : fmt(n));

export function analyticsTable(rows: AnalyticsBenchRow[]): string {
  const timed = rows.filter((r) => r.report !== 'seed');
  const lines = [
    '| database | range | messages in range | report | median ms |',
    '| --- | --- | ---: | --- | ---: |',
  ];
  for (const r of timed)
    lines.push(`| ${r.database} | ${r.days} days | ${fmt(r.messages)} | ${r.report} | ${ms(r.medianMs)} |`);
  for (const s of rows.filter((r) => r.report === 'seed')) {
    lines.push(
      s.skipped
        ? `| ${s.database} | — | — | not measured: ${s.skipped} | — |`
        : `| ${s.database} | seed | ${fmt(s.messages)} | bulk load of the data set (one transaction), fold of its count changes | ${fmt(s.medianMs)} |`,
    );
  }
  return lines.join('\n');
}

/** The docs/benchmarks.md section for these rows. */
export function analyticsSection(rows: AnalyticsBenchRow[]): string {
  return `## Analytics queries over ${fmt(MESSAGES)} messages

\`GET /api/analytics/{messaging,flows,routing,consent}\` read through the database's analytics read model
(the time of the query and the arithmetic on its rows, without HTTP). The data set
(\`apps/server/src/bench/analytics-seed.ts\`) is ${fmt(MESSAGES)} outgoing messages spread evenly over
${SPAN_DAYS} days with their status history (about 2.3 per message), ${fmt(MESSAGES / 4)} runs over 20 flows,
${fmt(MESSAGES / 50)} conversations and ${fmt(MESSAGES / 100)} consent changes. Each report runs once to warm up,
then ${REPEATS} times; the table gives the median, for the last 30 and the last ${SPAN_DAYS} days, with per-day
rows in ${TIME_ZONE}. The load goes through the outbox triggers that keep the messaging report's counts;
their changes are then folded (what a worker's fold loop does as messages arrive), SQLite's log is
checkpointed and Postgres's tables vacuumed (what a running server's checkpoints and autovacuum do); the
seed row's time includes all of it. The messaging report reads its per-day, per-flow and per-template
figures from those counts (15-minute slots, UTC days per flow and template; the minutes at the range's
edges from the messages) and samples the time to read through the partial index of read messages;
the other reports use the indexes of the \`analytics\` migration (runs by creation time and flow,
conversations by opening time, assignments and consent events by time). The medians (time to read,
assignment, first reply) are computed over the rows of the range.

${analyticsTable(rows)}
`;
}

// `node apps/server/dist/bench/analytics.js` runs just this benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runAnalyticsBench();
  console.log(`\nAnalytics\n\n${analyticsTable(rows)}\n`);
}
