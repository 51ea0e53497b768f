import type { RunSummary } from '@switchboard/flow-schema';
import { sql } from 'drizzle-orm';
import type { AsyncOf } from '../ports.js';
import type { RunFilter } from '../run-queries.js';
import type { RunReadRepository } from '../run-read-repo.js';
import type { OpenWait } from '../wait-queries.js';
import type { PgSession } from './connection.js';
import { pgListRuns } from './run-queries.js';
import {
  pgEndedRunKeys,
  pgHooksSince,
  pgOpenHookFields,
  pgOpenWaitFlows,
  pgOpenWaits,
} from './wait-queries.js';

/** `RunReadRepository` on Postgres: the executions list, open keyed waits, stored hook deliveries. */
export class PgRunReadRepository implements AsyncOf<RunReadRepository> {
  constructor(private readonly db: PgSession) {}

  listRuns(filter: RunFilter): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
    return pgListRuns(this.db, filter);
  }

  openWaits(args: { prefix: string; runId?: string }): Promise<OpenWait[]> {
    return pgOpenWaits(this.db, args);
  }

  openWaitFlows(prefix: string): Promise<Array<{ flowId: string; flowVersion: number }>> {
    return pgOpenWaitFlows(this.db, prefix);
  }

  openHookFields(path: string): Promise<string[]> {
    return pgOpenHookFields(this.db, path);
  }

  endedRunKeys(): Promise<string[]> {
    return pgEndedRunKeys(this.db);
  }

  hooksSince(args: {
    path: string;
    since: string;
    limit?: number;
  }): Promise<Array<{ body: unknown; query: unknown; receivedAt: string }>> {
    return pgHooksSince(this.db, args);
  }

  async runCreatedAt(runId: string): Promise<string | undefined> {
    const { rows } = await this.db.execute<{ createdAt: Date | string }>(
      sql`select created_at as "createdAt" from runs where id = ${runId}`,
    );
    const at = rows[0]?.createdAt;
    return at === undefined ? undefined : new Date(at).toISOString();
  }
}
