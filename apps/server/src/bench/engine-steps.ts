import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb, SqliteRunStore } from '@switchboard/db';
import { createEngine, type RunState, type RunStore, silentLogger } from '@switchboard/engine';
import { MemoryFlowSource, MemoryRunStore } from '@switchboard/engine/testing';
import { validateFlow } from '@switchboard/flow-schema';
import { createRegistry } from '@switchboard/nodes';
import Database from 'better-sqlite3';

/**
 * Engine steps per second for a 10-node flow on the in-memory store and on SQLite, in one run, next to
 * a raw better-sqlite3 baseline doing the same number of write transactions without the engine.
 */
const RUNS_MEMORY = Number(process.env.BENCH_RUNS_MEMORY ?? 3000);
const RUNS_SQLITE = Number(process.env.BENCH_RUNS_SQLITE ?? 1000);
const registry = createRegistry();

const types = [
  'data.setVariable',
  'condition.if',
  'condition.switch',
  'data.setVariable',
  'action.log',
  'condition.if',
  'data.setVariable',
  'action.log',
  'data.setVariable',
];
const params: Record<string, object> = {
  'data.setVariable': { assignments: [{ name: 'n', value: '{{ trigger.n }}' }] },
  'condition.if': { left: '{{ vars.n }}', operator: 'greaterThan', right: -1 },
  'condition.switch': { value: '{{ trigger.lang }}', cases: [{ port: 'es', values: ['es'] }] },
  'action.log': { message: 'step for {{ trigger.n }}', level: 'debug' },
};
const ports: Record<string, string> = { 'condition.if': 'true', 'condition.switch': 'es' };
const nodes = [{ id: 'n0', type: 'trigger.manual', position: { x: 0, y: 0 }, params: {} }].concat(
  types.map((type, i) => ({
    id: `n${i + 1}`,
    type,
    position: { x: (i + 1) * 200, y: 0 },
    params: params[type]!,
  })),
);
const edges = nodes.slice(1).map((n, i) => ({
  id: `e${i}`,
  source: `n${i}`,
  sourcePort: ports[nodes[i]!.type] ?? 'out',
  target: n.id,
}));
const validation = validateFlow({ schemaVersion: 1, id: 'bench', name: 'bench', nodes, edges }, registry);
if (!validation.ok || !validation.flow) throw new Error(JSON.stringify(validation.problems));
export const FLOW_NODES = nodes.length;
const flow = validation.flow;

async function measure(store: RunStore, runs: number) {
  const engine = createEngine({
    registry,
    store,
    flows: new MemoryFlowSource().add(flow),
    logger: silentLogger,
  });
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < runs; i++)
    ids.push(await engine.startRun({ flow, flowVersion: 1, payload: { n: i, lang: 'es' } }));
  while ((await engine.tick(16)) > 0) {}
  const seconds = (performance.now() - started) / 1000;
  for (const id of [ids[0]!, ids.at(-1)!]) {
    const run = await store.getRun(id);
    if (run?.status !== 'succeeded') throw new Error(`bench run ${id} ended ${run?.status}`);
  }
  const steps = runs * nodes.length;
  return { runs, steps, seconds, stepsPerSecond: steps / seconds };
}

/** The same number of write transactions the engine makes per step (begin + commit), without the engine. */
function rawSqlite(file: string, steps: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table runs (id text primary key, state text); create table steps (id text primary key, run text, status text, output text)',
  );
  const insertRun = db.prepare('insert into runs values (?, ?)');
  const insertStep = db.prepare("insert into steps values (?, ?, 'running', null)");
  const finishStep = db.transaction((id: string, run: string, state: string) => {
    db.prepare("update steps set status = 'succeeded', output = ? where id = ?").run(state, id);
    db.prepare('update runs set state = ? where id = ?').run(state, run);
  });
  const state = JSON.stringify({
    vars: { n: 1 },
    ready: [{ nodeId: 'n3', input: { n: 1 } }],
    outputs: { n1: { n: 1 } },
  });
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    const run = `r${Math.floor(i / nodes.length)}`;
    if (i % nodes.length === 0) insertRun.run(run, state);
    db.transaction(() => insertStep.run(`s${i}`, run)).immediate();
    finishStep.immediate(`s${i}`, run, state);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { runs: steps / nodes.length, steps, seconds, stepsPerSecond: steps / seconds };
}

export interface BenchRow {
  name: string;
  runs: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

/** Runs the engine benchmark; returns its rows. */
export async function runEngineBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  try {
    await measure(new MemoryRunStore(), 200); // warm-up: JIT and module loading
    const memory = await measure(new MemoryRunStore(), RUNS_MEMORY);
    const sqlite = await measure(
      new SqliteRunStore<RunState>(openDb({ path: join(dir, 'bench.db') })),
      RUNS_SQLITE,
    );
    const sqliteFull = await measure(
      new SqliteRunStore<RunState>(openDb({ path: join(dir, 'bench-full.db'), synchronous: 'full' })),
      Math.ceil(RUNS_SQLITE / 4),
    );
    const baseline = rawSqlite(join(dir, 'raw.db'), RUNS_SQLITE * nodes.length);
    return [
      { name: 'engine, in-memory store', ...memory },
      { name: 'engine, SQLite store (WAL, synchronous=NORMAL, default)', ...sqlite },
      { name: 'engine, SQLite store (WAL, synchronous=FULL)', ...sqliteFull },
      { name: 'baseline: raw better-sqlite3, same 2 write transactions per step, no engine', ...baseline },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
