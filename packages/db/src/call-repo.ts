import type { Json, RunStatus, StepError } from '@switchboard/flow-schema';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { runCalls, runSteps, runs } from './schema.js';

export type RunCallRow = typeof runCalls.$inferSelect;

/** How a run ended (or that it has not): what a "call flow" node hands on from its child. */
export interface RunOutcome {
  runId: string;
  flowId: string;
  status: RunStatus;
  /** For a run that succeeded: its variables and the output of its last completed step. */
  vars: Record<string, Json>;
  output: Json;
  error: StepError | null;
}

/** Parent links of runs started by other runs (the "call flow" node). */
export class CallRepository {
  constructor(private readonly db: Db) {}

  byIdempotencyKey(key: string): RunCallRow | undefined {
    return this.db.select().from(runCalls).where(eq(runCalls.idempotencyKey, key)).get();
  }

  get(childRunId: string): RunCallRow | undefined {
    return this.db.select().from(runCalls).where(eq(runCalls.childRunId, childRunId)).get();
  }

  /** Records a call; joins the caller's transaction (the child run is created in the same commit). */
  insert(row: RunCallRow): void {
    this.db.insert(runCalls).values(row).run();
  }

  /** The flow ids from the outermost caller down to `runId`, at most `limit` long. */
  flowChain(runId: string, limit: number): string[] {
    const chain: string[] = [];
    let current: string | undefined = runId;
    while (current && chain.length < limit) {
      const run = this.db.select({ flowId: runs.flowId }).from(runs).where(eq(runs.id, current)).get();
      if (!run) break;
      chain.unshift(run.flowId);
      current = this.get(current)?.parentRunId;
    }
    return chain;
  }

  /** A run's status, and for a finished one what it produced; undefined if there is no such run. */
  outcome(runId: string): RunOutcome | undefined {
    const run = this.db
      .select({ flowId: runs.flowId, status: runs.status, state: runs.state, error: runs.error })
      .from(runs)
      .where(eq(runs.id, runId))
      .get();
    if (!run) return undefined;
    const last = this.db
      .select({ output: runSteps.output })
      .from(runSteps)
      .where(and(eq(runSteps.runId, runId), eq(runSteps.status, 'succeeded')))
      .orderBy(desc(runSteps.seq))
      .limit(1)
      .get();
    const state = run.state as { vars?: Record<string, Json> };
    return {
      runId,
      flowId: run.flowId,
      status: run.status as RunStatus,
      vars: state.vars ?? {},
      output: (last?.output as Json | undefined) ?? null,
      error: (run.error as StepError | null) ?? null,
    };
  }
}
