import type { RunSummary } from '@switchboard/flow-schema';
import type { Db } from './connection.js';
import { listRuns, type RunFilter } from './run-queries.js';
import {
  endedRunKeys,
  hooksSince,
  type OpenWait,
  openHookFields,
  openWaitFlows,
  openWaits,
} from './wait-queries.js';

/**
 * Reads over runs and their waits that the server needs besides the engine's store: the executions
 * list, the open keyed waits that outside events (statuses, child runs, hook posts) may end, and the
 * stored hook deliveries. The functions of run-queries.ts and wait-queries.ts, as one repository.
 */
export class RunReadRepository {
  constructor(private readonly db: Db) {}

  listRuns(filter: RunFilter): { items: RunSummary[]; nextCursor: string | null } {
    return listRuns(this.db, filter);
  }

  openWaits(args: { prefix: string; runId?: string }): OpenWait[] {
    return openWaits(this.db, args);
  }

  openWaitFlows(prefix: string): Array<{ flowId: string; flowVersion: number }> {
    return openWaitFlows(this.db, prefix);
  }

  openHookFields(path: string): string[] {
    return openHookFields(this.db, path);
  }

  endedRunKeys(): string[] {
    return endedRunKeys(this.db);
  }

  hooksSince(args: {
    path: string;
    since: string;
    limit?: number;
  }): Array<{ body: unknown; query: unknown; receivedAt: string }> {
    return hooksSince(this.db, args);
  }

  /** When a run was created (its waits on hooks count deliveries from then on). */
  runCreatedAt(runId: string): string | undefined {
    return this.db.$client
      .prepare<[string], { createdAt: string }>('select created_at as createdAt from runs where id = ?')
      .get(runId)?.createdAt;
  }
}
