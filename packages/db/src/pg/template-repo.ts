// Same behaviour as SQLite (../template-repo.ts); the list orders names byte by byte like SQLite.
import { randomUUID } from 'node:crypto';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { AsyncOf } from '../ports.js';
import {
  changeSet,
  type TemplateChange,
  type TemplateFilter,
  type TemplateInput,
  type TemplateRepository,
  type TemplateRow,
  type TemplateSyncRow,
  templateConditions,
} from '../template-repo.js';
import type { PgSession } from './connection.js';
import { messageTemplates, templateSyncs } from './tables/templates.js';

const t = messageTemplates;

export class PgTemplateRepository implements AsyncOf<TemplateRepository> {
  constructor(private readonly db: PgSession) {}

  async replaceChannel(
    channelId: string,
    wabaId: string,
    templates: TemplateInput[],
    at: string,
  ): Promise<TemplateRow[]> {
    await this.db.transaction(async (tx) => {
      for (const input of templates) {
        await tx
          .insert(t)
          .values({
            id: randomUUID(),
            channelId,
            wabaId,
            ...input,
            lastSyncedAt: at,
            createdAt: at,
            updatedAt: at,
          })
          .onConflictDoUpdate({
            target: [t.channelId, t.providerId],
            set: { wabaId, ...input, lastSyncedAt: at, updatedAt: at },
          });
      }
      const keep = templates.map((x) => x.providerId);
      await tx
        .delete(t)
        .where(
          keep.length
            ? and(eq(t.channelId, channelId), notInArray(t.providerId, keep))
            : eq(t.channelId, channelId),
        );
      await tx
        .insert(templateSyncs)
        .values({ channelId, wabaId, syncedAt: at, attemptedAt: at, lastError: null })
        .onConflictDoUpdate({
          target: templateSyncs.channelId,
          set: { wabaId, syncedAt: at, attemptedAt: at, lastError: null },
        });
    });
    return this.list({ channelId });
  }

  async syncFailed(channelId: string, wabaId: string, error: string, at: string): Promise<void> {
    await this.db
      .insert(templateSyncs)
      .values({ channelId, wabaId, syncedAt: null, attemptedAt: at, lastError: error })
      .onConflictDoUpdate({
        target: templateSyncs.channelId,
        set: { wabaId, attemptedAt: at, lastError: error },
      });
  }

  async syncState(channelId: string): Promise<TemplateSyncRow | undefined> {
    const [row] = await this.db.select().from(templateSyncs).where(eq(templateSyncs.channelId, channelId));
    return row;
  }

  async insert(channelId: string, wabaId: string, input: TemplateInput, at: string): Promise<TemplateRow> {
    const [row] = await this.db
      .insert(t)
      .values({
        id: randomUUID(),
        channelId,
        wabaId,
        ...input,
        lastSyncedAt: null,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoUpdate({ target: [t.channelId, t.providerId], set: { ...input, updatedAt: at } })
      .returning();
    if (!row) throw new Error(`template ${input.providerId}: insert returned no row`);
    return row;
  }

  async get(id: string): Promise<TemplateRow | undefined> {
    const [row] = await this.db.select().from(t).where(eq(t.id, id));
    return row;
  }

  async list(filter: TemplateFilter = {}): Promise<TemplateRow[]> {
    return this.db
      .select()
      .from(t)
      .where(templateConditions(t, filter))
      .orderBy(sql`${t.name} collate "C"`, sql`${t.language} collate "C"`, sql`${t.channelId} collate "C"`);
  }

  async applyChange(change: TemplateChange, at: string): Promise<TemplateRow[]> {
    await this.db.update(t).set(changeSet(change, at)).where(eq(t.providerId, change.providerId));
    return this.db
      .select()
      .from(t)
      .where(eq(t.providerId, change.providerId))
      .orderBy(sql`${t.channelId} collate "C"`);
  }
}
