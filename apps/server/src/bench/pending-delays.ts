import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDb, openDb, SqliteRunStore } from '@switchboard/db';
import { createEngine, type RunState } from '@switchboard/engine';
import { validateFlow } from '@switchboard/flow-schema';
import { createRegistry } from '@switchboard/nodes';
import { startProcess } from './shared.js';

const PENDING = Number(process.env.BENCH_PENDING_DELAYS ?? 100_000);
/** How long the server idles before RSS is read: its scheduler polls every 250 ms, so ~20 ticks. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const KEY = 'bench-pending-delays-key-0123456789';
const FLOW_ID = 'bench-pending-delays';

const flow = {
  schemaVersion: 1,
  id: FLOW_ID,
  name: 'Benchmark: a 30-day delay',
  nodes: [
    { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} },
    {
      id: 'wait',
      type: 'flow.delay',
      position: { x: 220, y: 0 },
      params: { amount: 30, unit: 'days' },
    },
    {
      id: 'done',
      type: 'action.log',
      position: { x: 440, y: 0 },
      params: { message: 'done {{ trigger.n }}' },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'out', target: 'wait', targetPort: 'in' },
    { id: 'e2', source: 'wait', sourcePort: 'out', target: 'done', targetPort: 'in' },
  ],
  settings: { timezone: 'Europe/Madrid', errorPolicy: 'failRun' },
};

export interface MemoryRow {
  name: string;
  pending: number;
  rssMiB: number;
  heapUsedMiB: number;
  startMs: number;
}

export interface PendingDelaysResult {
  rows: MemoryRow[];
  /** Runs parked per second by the seeding engine (run row, trigger step, delay step, wait row). */
  seededPerSecond: number;
  /** Status of the run woken with "skip the wait" (should be `succeeded`). */
  wokenStatus: string;
  /** Checked in the database after the last server stopped. */
  waitingRuns: number;
  waitRows: number;
}

/** Resident set size of a process in MiB, from Linux's /proc (VmRSS). */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}: this benchmark needs Linux /proc`);
  return Number(m[1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(port: number, path: string, init: RequestInit = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function start(dataDir: string) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const began = performance.now();
  const server = await startProcess([join(here, '../../bin/switchboard.mjs'), 'start'], {
    PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_SEED_EXAMPLES: 'false',
    SWITCHBOARD_API_KEY: KEY,
    LOG_LEVEL: 'info',
  });
  return { ...server, startMs: performance.now() - began };
}

async function stop(proc: ChildProcess) {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/** Idles for SETTLE_MS, then takes the median of five RSS readings a quarter second apart. */
async function measure(name: string, pending: number, server: Awaited<ReturnType<typeof start>>) {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssMiB(server.proc.pid!));
    await sleep(250);
  }
  const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const heap = /switchboard_process_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/.exec(metrics);
  return {
    name,
    pending,
    rssMiB: samples.sort((a, b) => a - b)[2]!,
    heapUsedMiB: heap ? Number(heap[1]) / 2 ** 20 : Number.NaN,
    startMs: server.startMs,
  };
}

/**
 * Parks `count` runs on the flow's 30-day delay with the real engine and SqliteRunStore, in this
 * process, while no server runs: the same rows a server would write (run, trigger step, delay step,
 * wait), ~10× faster than through the HTTP API, whose per-request flow validation caps it at a few
 * hundred runs/s today.
 */
async function seed(dataDir: string, count: number): Promise<number> {
  const db = openDb({ path: join(dataDir, 'switchboard.db') });
  try {
    const registry = createRegistry();
    const parsed = validateFlow(flow, registry).flow!;
    const store = new SqliteRunStore<RunState>(db);
    const engine = createEngine({ registry, store, flows: { getFlow: async () => parsed } });
    const began = performance.now();
    for (let done = 0; done < count; ) {
      const batch = Math.min(2_000, count - done);
      db.$client.transaction(() => {
        for (let i = 0; i < batch; i++)
          store.createRunNow(engine.newRun({ flow: parsed, flowVersion: 1, payload: { n: done + i } }));
      })();
      while ((await engine.tick(64)) > 0) {}
      done += batch;
    }
    return count / ((performance.now() - began) / 1000);
  } finally {
    closeDb(db);
  }
}

/**
 * Server memory with 0 and with PENDING runs parked on a 30-day delay, each read from a freshly started
 * server process after the same idle time (its scheduler ticks ~20 times meanwhile). Then one of the
 * parked runs is woken through the API (skip the wait), to show the rows are live, not dead weight.
 */
export async function runPendingDelaysBench(): Promise<PendingDelaysResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-delays-'));
  try {
    const first = await start(dataDir);
    await api(first.port, '/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    await api(first.port, `/api/flows/${FLOW_ID}/activate`, { method: 'POST' });
    await stop(first.proc);

    const empty = await start(dataDir);
    const rows: MemoryRow[] = [await measure('fresh start, no pending delays', 0, empty)];
    await stop(empty.proc);

    const seededPerSecond = await seed(dataDir, PENDING);

    const full = await start(dataDir);
    rows.push(
      await measure(`fresh start, ${PENDING.toLocaleString('en')} runs parked on the delay`, PENDING, full),
    );
    const [oldest] = (await api(full.port, `/api/executions?flowId=${FLOW_ID}&status=waiting&limit=1`))
      .items as Array<{ id: string }>;
    await api(full.port, `/api/executions/${oldest!.id}/wake`, { method: 'POST' });
    let woken = 'waiting';
    for (let i = 0; i < 100 && woken !== 'succeeded'; i++) {
      await sleep(50);
      woken = String((await api(full.port, `/api/executions/${oldest!.id}`)).status);
    }
    await stop(full.proc);

    const db = openDb({ path: join(dataDir, 'switchboard.db') });
    const countOf = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
    const waitingRuns = countOf(`select count(*) as n from runs where status = 'waiting'`);
    const waitRows = countOf('select count(*) as n from run_waits where wake_at is not null');
    closeDb(db);
    return { rows, seededPerSecond, waitingRuns, waitRows, wokenStatus: woken };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The section of docs/benchmarks.md, and what is printed when run alone. */
export function pendingDelaysTable(r: PendingDelaysResult): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  return [
    '| what | pending delays | RSS MiB | V8 heap used MiB | start-up ms (spawn → listening) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.rows.map(
      (x) =>
        `| ${x.name} | ${fmt(x.pending)} | ${x.rssMiB.toFixed(1)} | ${x.heapUsedMiB.toFixed(1)} | ${fmt(x.startMs)} |`,
    ),
  ].join('\n');
}

/** The docs/benchmarks.md section (after "End to end"). */
export function pendingDelaysSection(r: PendingDelaysResult): string {
  const [empty, full] = r.rows as [MemoryRow, MemoryRow];
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  return `## Server memory with ${fmt(PENDING)} pending delays

Flow (active): manual trigger → 30-day delay → log. Each row is a freshly started server process
(\`switchboard start\`, embedded SQLite) left idle for ${SETTLE_MS / 1000} s — its scheduler looks for due runs every
250 ms, so ~${Math.round(SETTLE_MS / 250)} times — then the median of five VmRSS readings from /proc; the heap figure is
\`nodejs_heap_size_used_bytes\` from /metrics. The parked runs were written with the real engine and
\`SqliteRunStore\` in the benchmark process while the server was stopped (${fmt(r.seededPerSecond)} runs/s: run row,
trigger step, delay step and wait row, the rows a server writes), then the server was started over them.
Through \`POST /api/flows/:id/runs\` (about 1,000 runs/s on this machine) it would take a couple of
minutes. Afterwards one parked run was woken with
\`POST /api/executions/:id/wake\` and ended \`${r.wokenStatus}\`; the database then held ${fmt(r.waitingRuns)}
waiting runs and ${fmt(r.waitRows)} timed waits.

${pendingDelaysTable(r)}

Difference: **${(full.rssMiB - empty.rssMiB).toFixed(1)} MiB** of RSS for ${fmt(PENDING)} pending delays. Delays are rows,
not timers: the scheduler's claim reads only due runs through the \`(status, wake_at)\` index and nothing
in memory is kept per parked run. Before this benchmark existed, queries that read every parked run
pulled all their snapshots into SQLite's page cache (+55 to +70 MiB at 100,000 pending delays, and up to
270 ms a query): the start-up release of a dead process's leases (a scan of the runs table), and the
look-ups of open waits by key prefix (\`openWaits\`, \`openWaitFlows\`, \`endedRunKeys\`; at start-up and
in every sweep), which SQLite drove through the status index of all waiting runs instead of the wait-key
index. They now go through the status index and the key index respectively
(\`packages/db/test/run-store.test.ts\` checks their query plans). SQLite's own page cache stays at its
default (about 2 MiB per connection), so even a query that reads many runs (a large executions page)
cannot grow the server by more than that.
`;
}

// Alone (`node apps/server/dist/bench/pending-delays.js`): prints the section instead of writing the docs.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(pendingDelaysSection(await runPendingDelaysBench()));
}
