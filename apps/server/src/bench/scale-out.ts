import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openPgPool } from '@switchboard/db';
import {
  BENCH_BUSINESS,
  BENCH_SECRET,
  machineCpuTicks,
  pidsNamed,
  processCpuMs,
  signedTextMessage,
  startProcess,
  stopProcess,
} from './shared.js';

// The same workload on the embedded server and on web + worker processes over Postgres and Redis:
// how far does a second worker get on this machine, and what holds it back.

const EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? 3000);
const WARM_UP = Number(process.env.BENCH_SCALE_WARMUP ?? 300);
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 32);
/** A run that makes no progress for this long is reported with what it completed. */
const STALL_MS = 30_000;
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.SWITCHBOARD_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL =
  process.env.BENCH_REDIS_URL ?? process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * The server has no setting for its Redis key prefix, so the bench keeps its keys apart in a Redis
 * database of its own (the last of Redis's default 16), emptied of `sb:*` keys before and after each mode.
 */
const REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 15);
const KEY = 'bench-api-key-0123456789';
/** Each number is paced at 1,000 messages/s (Meta's highest tier): four keep pacing out of the way. */
const NUMBERS = [0, 1, 2, 3].map((i) => ({
  ...BENCH_BUSINESS,
  phoneNumberId: String(Number(BENCH_BUSINESS.phoneNumberId) + i),
  displayPhoneNumber: String(Number(BENCH_BUSINESS.displayPhoneNumber) + i),
}));

const echoFlow = {
  schemaVersion: 1,
  id: 'bench-echo',
  name: 'Benchmark: echo',
  nodes: [
    {
      id: 'in',
      type: 'trigger.whatsappMessage',
      position: { x: 0, y: 0 },
      params: { messageTypes: ['text'] },
    },
    {
      id: 'echo',
      type: 'whatsapp.sendText',
      position: { x: 1, y: 0 },
      params: { text: 'Recibido: {{ trigger.message.text }}' },
    },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'echo' }],
};

/** CPU used over the measured span, in cores (CPU seconds ÷ wall seconds). */
export interface CpuCores {
  web: number;
  workers: number[];
  postgres: number;
  redis: number;
  /** This process (the load generator) and the fake Cloud API. */
  harness: number;
  machine: number;
  /** The span these figures cover, ms. */
  spanMs: number;
}

export interface ScaleOutRow {
  name: string;
  /** Set when the mode did not run: why. */
  skipped?: string;
  events: number;
  replies: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  non200: number;
  cpu?: CpuCores;
}

// --- services --------------------------------------------------------------------------------------

const where = (url: string) => new URL(url).host; // never the credentials

/** Sends commands on one connection; each must answer with a one-line reply (PING, SELECT, EVAL → integer). */
function redisCommands(commands: string[][]): Promise<string[]> {
  const url = new URL(REDIS_URL);
  const auth = url.password
    ? [
        [
          'AUTH',
          ...(url.username ? [decodeURIComponent(url.username)] : []),
          decodeURIComponent(url.password),
        ],
      ]
    : [];
  const all = [...auth, ['SELECT', String(REDIS_DB)], ...commands];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    let received = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('no answer within 2 s')));
    socket.on('error', reject);
    socket.on('data', (d) => {
      received += d;
      const lines = received.split('\r\n').slice(0, -1);
      if (lines.length < all.length) return;
      socket.end();
      const failed = lines.find((l) => l.startsWith('-'));
      if (failed) reject(new Error(failed.slice(1)));
      else resolve(lines.slice(auth.length + 1));
    });
    socket.write(
      all
        .map(
          (args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
        )
        .join(''),
    );
  });
}

const DELETE_KEYS = `local n = 0
for _, k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k); n = n + 1 end
return n`;
const clearRedis = () => redisCommands([['EVAL', DELETE_KEYS, '0', 'sb:*']]);

/** Why the scale-out modes cannot run here, or null when Postgres and Redis both answer. */
async function servicesMissing(): Promise<string | null> {
  const pool = openPgPool({ url: DATABASE_URL, max: 1 });
  try {
    await pool.query('select 1');
  } catch (error) {
    return `Postgres unreachable at ${where(DATABASE_URL)} (${(error as Error).message})`;
  } finally {
    await pool.end().catch(() => {});
  }
  try {
    await redisCommands([['PING']]);
  } catch (error) {
    return `Redis unreachable at ${where(REDIS_URL)} (${(error as Error).message})`;
  }
  return null;
}

/** A fresh schema for one mode; schemas of earlier runs that died more than an hour ago are dropped. */
async function freshSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `sb_bench_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = openPgPool({ url: DATABASE_URL, max: 1 });
  try {
    const { rows } = await admin.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname like 'sb\\_bench\\_%'",
    );
    for (const { name } of rows)
      if (Number(name.split('_')[2]) < Date.now() - 3_600_000)
        await admin.query(`drop schema if exists "${name}" cascade`);
    await admin.query(`create schema "${schema}"`);
  } finally {
    await admin.end();
  }
  return {
    schema,
    async drop() {
      const pool = openPgPool({ url: DATABASE_URL, max: 1 });
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    },
  };
}

// --- load ------------------------------------------------------------------------------------------

/** Signed, each with its own wamid, from ~1,000 contacts, spread over the numbers; made before timing. */
function messages(count: number) {
  return Array.from({ length: count }, (_, i) =>
    signedTextMessage('3468', `Hola, mensaje ${i}`, NUMBERS[i % NUMBERS.length]),
  );
}

/** POSTs every message with `CONCURRENCY` keep-alive connections; returns each POST → answer time. */
async function post(port: number, batch: ReturnType<typeof messages>) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let non200 = 0;
  const one = (m: (typeof batch)[0]) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/whatsapp',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': m.body.length,
            'x-hub-signature-256': m.signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - started);
            if (res.statusCode !== 200) non200++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        non200++;
        resolve();
      });
      req.end(m.body);
    });
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batch.length) await one(batch[next++]!);
    }),
  );
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), non200 };
}

const counted = async (graph: number) =>
  (await (await fetch(`http://127.0.0.1:${graph}/count`)).json()) as { count: number; last: number };

/** Waits until the fake API has `target` replies, or nothing arrived for STALL_MS. */
async function repliesReach(graph: number, target: number) {
  let now = await counted(graph);
  let progressAt = Date.now();
  while (now.count < target && Date.now() - progressAt < STALL_MS) {
    await new Promise((r) => setTimeout(r, 50));
    const next = await counted(graph);
    if (next.count > now.count) progressAt = Date.now();
    now = next;
  }
  return now;
}

const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN;

// --- one mode --------------------------------------------------------------------------------------

type Started = { proc: ChildProcess; port: number };

/** CPU ms per pid of every process named `comm`. */
const cpuByPid = (comm: string) => new Map(pidsNamed(comm).map((pid) => [pid, processCpuMs(pid)]));
/** CPU used between two `cpuByPid` readings: processes that ended in between are lost, new ones count whole. */
const usedBetween = (a: Map<number, number>, b: Map<number, number>) =>
  [...b].reduce((sum, [pid, ms]) => sum + ms - (a.get(pid) ?? 0), 0);

function cpuSnapshot(web: Started, workers: Started[], graph: Started) {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    web: processCpuMs(web.proc.pid!),
    workers: workers.map((w) => processCpuMs(w.proc.pid!)),
    // Every server process of each: other sessions' queries on this machine count too.
    postgres: cpuByPid('postgres'),
    redis: cpuByPid('redis-server'),
    harness: (self.user + self.system) / 1000 + processCpuMs(graph.proc.pid!),
    machine: machineCpuTicks(),
  };
}

function cpuCores(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>): CpuCores {
  const wall = b.at - a.at;
  const cores = (before: number, after: number) => (after - before) / wall;
  return {
    web: cores(a.web, b.web),
    workers: a.workers.map((w, i) => cores(w, b.workers[i]!)),
    postgres: usedBetween(a.postgres, b.postgres) / wall,
    redis: usedBetween(a.redis, b.redis) / wall,
    harness: cores(a.harness, b.harness),
    machine: ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * cpus().length,
    spanMs: wall,
  };
}

const here = fileURLToPath(new URL('.', import.meta.url));

/** `workers` null: the embedded server; otherwise one web process and that many workers on Postgres + Redis. */
async function runMode(name: string, workers: number | null): Promise<ScaleOutRow> {
  process.stderr.write(`scale-out: ${name}\n`);
  const started: Started[] = [];
  const dirs: string[] = [];
  let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  const graph = await startProcess([join(here, 'fake-graph.js')], {});
  started.push(graph);
  try {
    const env: Record<string, string> = {
      PORT: '0',
      SWITCHBOARD_API_KEY: KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      LOG_LEVEL: 'info', // the start-up line carries the port
      WHATSAPP_MODE: 'live',
      WHATSAPP_PHONE_NUMBER_ID: BENCH_BUSINESS.phoneNumberId,
      WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
      WHATSAPP_APP_SECRET: BENCH_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'bench-verify',
      WHATSAPP_API_URL: `http://127.0.0.1:${graph.port}`,
      WHATSAPP_RATE_PER_SECOND: '1000',
      WHATSAPP_PAIR_SPACING_MS: '0',
    };
    if (workers !== null) {
      schema = await freshSchema();
      await clearRedis();
      const redis = new URL(REDIS_URL);
      redis.pathname = `/${REDIS_DB}`;
      Object.assign(env, {
        DATABASE_URL,
        SWITCHBOARD_DATABASE_SCHEMA: schema.schema,
        SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        REDIS_URL: redis.href,
      });
    }
    const boot = async (role: string) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-scale-'));
      dirs.push(dataDir);
      const p = await startProcess([join(here, '../../bin/switchboard.mjs'), 'start'], {
        ...env,
        SWITCHBOARD_DATA_DIR: dataDir,
        ...(workers !== null ? { SWITCHBOARD_ROLE: role } : {}),
      });
      started.push(p);
      return p;
    };
    const web = await boot('web');
    // Channels and the flow go in before the workers start: other processes do not see channel changes
    // without a restart yet.
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${web.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    };
    for (const [i, number] of NUMBERS.entries()) {
      if (i === 0) continue; // the default channel, from the environment
      await api('PUT', `/api/channels/bench-${i}`, {
        name: `Benchmark number ${i + 1}`,
        phoneNumberId: number.phoneNumberId,
        displayPhoneNumber: number.displayPhoneNumber,
        accessToken: 'bench-access-token',
        appSecret: BENCH_SECRET,
        verifyToken: 'bench-verify',
      });
    }
    await api('POST', '/api/flows', echoFlow);
    await api('POST', `/api/flows/${echoFlow.id}/activate`);
    const workerProcs: Started[] = [];
    for (let i = 0; i < (workers ?? 0); i++) workerProcs.push(await boot('worker'));

    const warm = await post(web.port, messages(WARM_UP));
    const warmed = await repliesReach(graph.port, WARM_UP);
    if (warmed.count < WARM_UP) throw new Error(`warm-up: ${warmed.count} of ${WARM_UP} replies`);

    const batch = messages(EVENTS);
    const before = cpuSnapshot(web, workerProcs, graph);
    const t0 = Date.now();
    const { latencies, non200 } = await post(web.port, batch);
    const done = await repliesReach(graph.port, WARM_UP + EVENTS);
    const after = cpuSnapshot(web, workerProcs, graph);
    const replies = done.count - warmed.count;
    return {
      name,
      events: EVENTS,
      replies,
      eventsPerSecond: replies / ((done.last - t0) / 1000),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      non200: non200 + warm.non200,
      cpu: cpuCores(before, after),
    };
  } finally {
    for (const p of started.reverse()) await stopProcess(p.proc);
    await schema?.drop();
    if (workers !== null) await clearRedis().catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const MODES: Array<[string, number | null]> = [
  ['embedded: one process, SQLite', null],
  ['scale-out: 1 web + 1 worker, Postgres + Redis', 1],
  ['scale-out: 1 web + 2 workers, Postgres + Redis', 2],
];

/** Embedded, 1 worker and 2 workers, one after another in this run, on the same workload. */
export async function runScaleOutBench(): Promise<ScaleOutRow[]> {
  const missing = await servicesMissing();
  if (missing && process.env.SWITCHBOARD_REQUIRE_SERVICES === '1') throw new Error(missing);
  if (missing) process.stderr.write(`scale-out: skipping the Postgres + Redis modes: ${missing}\n`);
  const rows: ScaleOutRow[] = [];
  for (const [name, workers] of MODES) {
    if (workers !== null && missing) {
      rows.push({
        name,
        skipped: missing,
        events: 0,
        replies: 0,
        eventsPerSecond: 0,
        p50: 0,
        p99: 0,
        non200: 0,
      });
      continue;
    }
    rows.push(await runMode(name, workers));
  }
  return rows;
}

// --- report ----------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const c2 = (n: number) => n.toFixed(2);

/** Switchboard's processes, Postgres and Redis together: CPU ms spent per completed event. */
function msPerEvent(r: ScaleOutRow): number {
  if (!r.cpu || r.replies === 0) return Number.NaN;
  const cores = r.cpu.web + r.cpu.workers.reduce((a, b) => a + b, 0) + r.cpu.postgres + r.cpu.redis;
  return (cores * r.cpu.spanMs) / r.replies;
}

export function scaleOutTable(rows: ScaleOutRow[]): string {
  return [
    '| mode | events | replies | events/s | ack p50 ms | ack p99 ms | non-200 | CPU web | CPU worker(s) | CPU Postgres | CPU Redis | CPU load gen + fake API | machine busy | CPU ms / event |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) =>
      r.skipped || !r.cpu
        ? `| ${r.name} | skipped: ${r.skipped} | | | | | | | | | | | | |`
        : `| ${r.name} | ${r.events} | ${r.replies} | ${fmt(r.eventsPerSecond)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.non200} | ${c2(r.cpu.web)} | ${r.cpu.workers.length ? r.cpu.workers.map(c2).join(' + ') : '(in the one process)'} | ${c2(r.cpu.postgres)} | ${c2(r.cpu.redis)} | ${c2(r.cpu.harness)} | ${c2(r.cpu.machine)} of ${cpus().length} | ${c2(msPerEvent(r))} |`,
    ),
  ].join('\n');
}

/** What held the 2-worker mode back, from this run's figures. */
function limitsNote(rows: ScaleOutRow[]): string {
  const [embedded, one, two] = rows;
  if (!two?.cpu || !one?.cpu)
    return 'The scale-out modes did not run, so there is no figure on what limits them.';
  const n = cpus().length;
  const { cpu } = two;
  const parts = [
    ['Postgres', cpu.postgres],
    ['the two workers', cpu.workers.reduce((a, b) => a + b, 0)],
    ['the web process', cpu.web],
    ['the load generator and fake API', cpu.harness],
    ['Redis', cpu.redis],
  ] as const;
  const byUse = [...parts].sort((a, b) => b[1] - a[1]);
  const others = Math.max(0, cpu.machine - parts.reduce((s, [, v]) => s + v, 0));
  const saturated = cpu.machine >= 0.85 * n;
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  return `**What limits scaling on this ${n}-core machine.** Every process shares the same ${n} cores: the
web process, the workers, Postgres, Redis, the load generator and the fake API (and nginx, in a
deployment; it is not in this path). With two workers the machine was busy ${c2(cpu.machine)} of its ${n}
cores on average: ${byUse.map(([what, v]) => `${what} ${c2(v)}`).join(', ')}, and ${c2(others)} for
other processes on the machine${others >= 0.25 ? ' (other work running at the same time: this run is noisier than a quiet machine)' : ''}.
${
  saturated
    ? `The cores were saturated, so a second worker process can only take CPU from the others.`
    : `The cores were not saturated (${c2(n - cpu.machine)} idle on average), so the workers were also
waiting — on Postgres commits, on their poll interval (\`SWITCHBOARD_POLL_MS\`) and on rows another
worker holds.`
} Per completed event, Switchboard's processes, Postgres and Redis together spent
${c2(msPerEvent(two))} CPU ms with two workers and ${c2(msPerEvent(one))} with one${
    embedded?.cpu ? `, against ${c2(msPerEvent(embedded))} for the embedded server` : ''
  }: the second worker took throughput from ${fmt(one.eventsPerSecond)} to ${fmt(two.eventsPerSecond)} events/s
(${pct(two.eventsPerSecond, one.eventsPerSecond)})${
    embedded?.cpu ? `, and the embedded server did ${fmt(embedded.eventsPerSecond)}/s` : ''
  }. ${
    two.eventsPerSecond < 1.15 * one.eventsPerSecond
      ? `On ${n} cores a second worker does not add throughput: the scale-out mode is for availability and for
spreading across machines; more workers pay off only with more cores, or with Postgres on a machine of
its own.`
      : `The second worker still added throughput, but every further process competes for the same ${n}
cores; beyond this, more workers pay off only with more cores, or with Postgres on a machine of its own.`
  }
`;
}

/** The docs/benchmarks.md section for these rows. */
export function scaleOutSection(rows: ScaleOutRow[]): string {
  return `## Scale-out: embedded vs 1 web + 1 worker vs 1 web + 2 workers

The same workload for each mode, one mode after another in this run: ${fmt(EVENTS)} signed inbound texts
(each its own wamid, from about 1,000 contacts, over ${NUMBERS.length} business numbers), POSTed by this
process with ${CONCURRENCY} concurrent keep-alive connections straight to the web process (no nginx),
after ${fmt(WARM_UP)} warm-up events that are not counted. An active echo flow (WhatsApp trigger → send
text \`Recibido: {{ trigger.message.text }}\`) answers each with one text to a local fake Cloud API
(\`fake-graph.ts\`); each number is paced at 1,000 messages/s with no pair spacing, so pacing is not
the limit. **events/s** = replies counted at the fake ÷ time from the first POST to the last reply;
**ack** = POST → 200 at the load generator. Embedded is \`switchboard start\` on SQLite; scale-out is
\`SWITCHBOARD_ROLE=web\` and \`worker\` processes on a fresh Postgres schema (\`DATABASE_URL\`) and
Redis (\`REDIS_URL\`, database ${REDIS_DB}, emptied of \`sb:*\` keys before and after), with the default
\`SWITCHBOARD_POLL_MS\` and \`SWITCHBOARD_CONCURRENCY\`. CPU columns are CPU time ÷ wall time over the
measured span, in cores; Postgres is every \`postgres\` process on the machine and Redis every
\`redis-server\`; machine busy is from /proc/stat. \`BENCH_SCALE_EVENTS\`, \`BENCH_SCALE_WARMUP\` and
\`BENCH_SCALE_CONCURRENCY\` change the sizes; \`node apps/server/dist/bench/scale-out.js\` runs just this.

${scaleOutTable(rows)}

${limitsNote(rows)}

**Where a worker's time goes.** A CPU profile of the one-worker mode (\`BENCH_NODE_ARGS=--cpu-prof\`,
2,000 events, 2026-12-05) put about a quarter of the worker's CPU in socket writes to Postgres and
another fifth in drizzle building queries: each event costs a dozen or so round trips and commits
(event job, run creation, claim, step commits, outbox claim, acceptance), each commit waiting for its
own WAL flush (about 2–3.5 ms here with \`synchronous_commit = on\`). The embedded server writes the
same rows through SQLite's group commit. Fewer, batched transactions per event are the next step for
the scale-out throughput; durability settings stay as they are.
`;
}

// `node apps/server/dist/bench/scale-out.js` runs just this benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runScaleOutBench();
  console.log(`\nScale-out\n\n${scaleOutTable(rows)}\n\n${limitsNote(rows)}\n`);
}
