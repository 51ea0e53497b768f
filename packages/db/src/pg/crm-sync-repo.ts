// Differs from SQLite only in mechanism: claims lock the rows they take (`for update skip locked`), so
// workers of several processes never take the same record.
import { and, asc, desc, eq } from 'drizzle-orm';
import {
  CRM_REPLAY,
  type CrmSyncMessage,
  type CrmSyncRecordRow,
  type CrmSyncRepository,
  type CrmSyncResult,
  type CrmSyncSettingInput,
  type CrmSyncSettingRow,
  crmNextState,
  crmRecordValues,
  DEFAULT_CRM_SYNC_LEASE_MS,
  newCrmSyncId,
} from '../crm-sync-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { claimDueRows } from './leased-queue.js';
import { crmSyncRecords, crmSyncSettings } from './tables/crm-sync.js';

export class PgCrmSyncRepository implements AsyncOf<CrmSyncRepository> {
  constructor(private readonly db: PgSession) {}

  async setting(channel: string): Promise<CrmSyncSettingRow | undefined> {
    const [row] = await this.db.select().from(crmSyncSettings).where(eq(crmSyncSettings.channel, channel));
    return row;
  }

  async settings(): Promise<CrmSyncSettingRow[]> {
    return this.db.select().from(crmSyncSettings).orderBy(asc(crmSyncSettings.channel));
  }

  async putSetting(input: CrmSyncSettingInput, at: string): Promise<CrmSyncSettingRow> {
    const [row] = await this.db
      .insert(crmSyncSettings)
      .values({ ...input, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({
        target: crmSyncSettings.channel,
        set: {
          provider: input.provider,
          credential: input.credential,
          logAs: input.logAs,
          enabled: input.enabled,
          updatedAt: at,
        },
      })
      .returning();
    return row!;
  }

  async removeSetting(channel: string): Promise<boolean> {
    const removed = await this.db
      .delete(crmSyncSettings)
      .where(eq(crmSyncSettings.channel, channel))
      .returning({ channel: crmSyncSettings.channel });
    return removed.length > 0;
  }

  async enqueue(message: CrmSyncMessage): Promise<boolean> {
    const added = await this.db
      .insert(crmSyncRecords)
      .values(crmRecordValues(newCrmSyncId(), message))
      .onConflictDoNothing()
      .returning({ id: crmSyncRecords.id });
    return added.length > 0;
  }

  async claimDue(
    now: string,
    limit: number,
    leaseMs: number = DEFAULT_CRM_SYNC_LEASE_MS,
  ): Promise<CrmSyncRecordRow[]> {
    return claimDueRows(this.db, crmSyncRecords, 'syncing', now, limit, leaseMs);
  }

  async noteContact(id: string, crmContactId: string, created: boolean): Promise<void> {
    await this.db
      .update(crmSyncRecords)
      .set({ crmContactId, ...(created ? { contactCreated: true } : {}) })
      .where(and(eq(crmSyncRecords.id, id), eq(crmSyncRecords.status, 'syncing')));
  }

  async record(result: CrmSyncResult): Promise<CrmSyncRecordRow | undefined> {
    const [row] = await this.db
      .update(crmSyncRecords)
      .set(crmNextState(result))
      .where(and(eq(crmSyncRecords.id, result.id), eq(crmSyncRecords.status, 'syncing')))
      .returning();
    return row;
  }

  async get(id: string): Promise<CrmSyncRecordRow | undefined> {
    const [row] = await this.db.select().from(crmSyncRecords).where(eq(crmSyncRecords.id, id));
    return row;
  }

  async list(channel: string, filter: { status?: string; limit?: number } = {}): Promise<CrmSyncRecordRow[]> {
    return this.db
      .select()
      .from(crmSyncRecords)
      .where(
        and(
          eq(crmSyncRecords.channel, channel),
          filter.status ? eq(crmSyncRecords.status, filter.status) : undefined,
        ),
      )
      .orderBy(desc(crmSyncRecords.createdAt), desc(crmSyncRecords.id))
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500));
  }

  async replay(channel: string, id: string, at: string): Promise<CrmSyncRecordRow | undefined> {
    const [row] = await this.db
      .update(crmSyncRecords)
      .set(CRM_REPLAY(at))
      .where(
        and(
          eq(crmSyncRecords.id, id),
          eq(crmSyncRecords.channel, channel),
          eq(crmSyncRecords.status, 'dead'),
        ),
      )
      .returning();
    return row;
  }

  async replayDead(channel: string, at: string): Promise<number> {
    const rows = await this.db
      .update(crmSyncRecords)
      .set(CRM_REPLAY(at))
      .where(and(eq(crmSyncRecords.channel, channel), eq(crmSyncRecords.status, 'dead')))
      .returning({ id: crmSyncRecords.id });
    return rows.length;
  }
}
