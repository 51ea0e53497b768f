import { hostname } from 'node:os';
import { closeDb, type Db, FlowRepository, openDb, SqliteRunStore } from '@switchboard/db';
import {
  createEngine,
  type Engine,
  type NodeRegistry,
  type RunState,
  type Scheduler,
  startScheduler,
} from '@switchboard/engine';
import { createRegistry } from '@switchboard/nodes';
import { resolveApiKey } from './api-key.js';
import type { Config } from './config.js';
import { DEFAULT_EXAMPLES_DIR, seedExamples } from './examples.js';
import { FlowService } from './flow-service.js';
import type { AppLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { acquireLock } from './process-lock.js';

export interface Runtime {
  config: Config;
  logger: AppLogger;
  db: Db;
  store: SqliteRunStore<RunState>;
  flows: FlowService;
  registry: NodeRegistry;
  engine: Engine;
  scheduler: Scheduler | undefined;
  metrics: Metrics;
  apiKey: { key: string; created: boolean; file?: string };
  close(): Promise<void>;
}

/**
 * The composition root of the embedded mode: SQLite store, built-in nodes, engine and the in-process
 * scheduler. Runs left mid-way by a previous process resume as soon as the scheduler starts.
 */
export function startRuntime(config: Config, logger: AppLogger): Runtime {
  const lock = acquireLock(config.dataDir);
  try {
    const db = openDb({ path: config.dbPath, synchronous: config.sqliteSynchronous });
    const store = new SqliteRunStore<RunState>(db);
    const orphaned = store.releaseAllLeases();
    if (orphaned > 0) logger.warn({ runs: orphaned }, 'resuming runs left by a previous process');
    const registry = createRegistry();
    const flows = new FlowService(new FlowRepository(db), registry);
    const metrics = createMetrics();
    const engine = createEngine({
      registry,
      store,
      flows,
      logger,
      leaseMs: config.leaseMs,
      owner: `${hostname()}:${process.pid}`,
    });
    engine.on(metrics.onEngineEvent);
    engine.on((e) => logger.debug({ event: e }, e.type));
    if (config.fault) installFault(engine, config.fault, logger);
    if (config.seedExamples) seedExamples(flows, config.examplesDir ?? DEFAULT_EXAMPLES_DIR, logger);
    const apiKey = resolveApiKey(config.dataDir, config.apiKey);
    const runtime: Runtime = {
      config,
      logger,
      db,
      store,
      flows,
      registry,
      engine,
      metrics,
      apiKey,
      scheduler: startScheduler(engine, { pollMs: config.pollMs, concurrency: config.concurrency, logger }),
      async close() {
        const scheduler = runtime.scheduler;
        runtime.scheduler = undefined;
        await scheduler?.stop();
        closeDb(db);
        lock.release();
      },
    };
    return runtime;
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Test-only: SIGKILLs this process right after (or while) a node's step is committed. */
function installFault(engine: Engine, fault: NonNullable<Config['fault']>, logger: AppLogger) {
  logger.warn({ fault }, 'fault injection is on (SWITCHBOARD_FAULT): this process will kill itself');
  engine.on((e) => {
    const hit =
      (fault.kind === 'kill-after-step' && e.type === 'node.finished' && e.nodeId === fault.nodeId) ||
      (fault.kind === 'kill-during-step' && e.type === 'node.started' && e.nodeId === fault.nodeId);
    if (hit) process.kill(process.pid, 'SIGKILL');
  });
}
