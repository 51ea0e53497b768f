import type { Json, RunStatus, StepError } from '@switchboard/flow-schema';
import { eq, sql } from 'drizzle-orm';
import type { CallRepository, RunCallRow, RunOutcome } from '../call-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { runCalls, runs } from './schema.js';

// Same behaviour as the SQLite repository; a repeated key fails with SQLite's message ("UNIQUE
// constraint failed: …", a plain Error whose cause is Postgres's). To record a call in the transaction
// that creates the child run, construct it on that transaction (`new PgCallRepository(tx)`).

export class PgCallRepository implements AsyncOf<CallRepository> {
  constructor(private readonly db: PgSession) {}

  async byIdempotencyKey(key: string): Promise<RunCallRow | undefined> {
    const [row] = await this.db.select().from(runCalls).where(eq(runCalls.idempotencyKey, key));
    return row;
  }

  async get(childRunId: string): Promise<RunCallRow | undefined> {
    const [row] = await this.db.select().from(runCalls).where(eq(runCalls.childRunId, childRunId));
    return row;
  }

  /** Records a call; a repeated idempotency key (or child) fails as on SQLite, with the same message. */
  async insert(row: RunCallRow): Promise<void> {
    try {
      await this.db.insert(runCalls).values(row);
    } catch (error) {
      const column = violatedColumn(error);
      if (!column) throw error;
      throw new Error(`UNIQUE constraint failed: run_calls.${column}`, { cause: error });
    }
  }

  /** The flow ids from the outermost caller down to `runId`, at most `limit` long. */
  async flowChain(runId: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    // One round trip: walk the parent links upwards (n = 1 is `runId`), then stop, as the SQLite loop
    // does, at the first run that does not exist.
    const { rows } = await this.db.execute<{ n: number; flowId: string | null }>(sql`
      with recursive chain(run_id, n) as (
        select ${runId}::text, 1
        union all
        select c.parent_run_id, chain.n + 1 from chain join ${runCalls} c on c.child_run_id = chain.run_id
        where chain.n < ${limit}
      )
      select chain.n as "n", r.flow_id as "flowId" from chain left join ${runs} r on r.id = chain.run_id
      order by chain.n`);
    const chain: string[] = [];
    for (const row of rows) {
      if (row.flowId === null) break;
      chain.unshift(row.flowId);
    }
    return chain;
  }

  /** A run's status, and for a finished one what it produced; undefined if there is no such run. */
  async outcome(runId: string): Promise<RunOutcome | undefined> {
    // One statement, so the status and the last step's output come from the same snapshot.
    const { rows } = await this.db.execute<{
      flowId: string;
      status: string;
      state: { vars?: Record<string, Json> } | null;
      error: StepError | null;
      output: Json | null;
    }>(sql`
      select r.flow_id as "flowId", r.status, r.state, r.error,
        (select s.output from run_steps s where s.run_id = r.id and s.status = 'succeeded'
         order by s.seq desc limit 1) as "output"
      from ${runs} r where r.id = ${runId}`);
    const run = rows[0];
    if (!run) return undefined;
    return {
      runId,
      flowId: run.flowId,
      status: run.status as RunStatus,
      vars: run.state?.vars ?? {},
      output: run.output ?? null,
      error: run.error ?? null,
    };
  }
}

/** The column of run_calls whose uniqueness `error` (drizzle's, wrapping pg's) violated, if that is what it is. */
function violatedColumn(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  const pgError = (cause ?? error) as { code?: unknown; constraint?: unknown };
  if (pgError.code !== '23505') return undefined;
  if (pgError.constraint === 'run_calls_idempotency_uq') return 'idempotency_key';
  if (pgError.constraint === 'run_calls_pkey') return 'child_run_id';
  return undefined;
}
