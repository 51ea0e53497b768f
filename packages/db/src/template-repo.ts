import { randomUUID } from 'node:crypto';
import { type AnyColumn, and, asc, eq, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { messageTemplates, templateSyncs } from './schema.js';

export type TemplateRow = typeof messageTemplates.$inferSelect;
export type TemplateSyncRow = typeof templateSyncs.$inferSelect;

/** A template as Meta lists it, in the columns' shape. */
export interface TemplateInput {
  providerId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  parameterFormat: string;
  components: unknown[];
  quality: string | null;
  rejectedReason: string | null;
}

export interface TemplateFilter {
  channelId?: string;
  status?: string;
  category?: string;
  language?: string;
  /** Part of the name (names are lowercase, so the search is too). */
  search?: string;
}

/** What a status or quality webhook changes (only the fields given). */
export interface TemplateChange {
  providerId: string;
  status?: string;
  reason?: string | null;
  quality?: string;
}

/** Escapes `%`, `_` and `\` for a LIKE pattern with `escape '\'`. */
export const likePattern = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type FilterColumns = Record<'channelId' | 'status' | 'category' | 'language' | 'name', AnyColumn>;

/** The filter's conditions, on either dialect's table (names are lowercase: a plain LIKE will do). */
export function templateConditions(t: FilterColumns, f: TemplateFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (f.channelId) conditions.push(eq(t.channelId, f.channelId));
  if (f.status) conditions.push(eq(t.status, f.status));
  if (f.category) conditions.push(eq(t.category, f.category));
  if (f.language) conditions.push(eq(t.language, f.language));
  if (f.search) conditions.push(sql`${t.name} like ${likePattern(f.search)} escape '\\'`);
  return conditions.length ? and(...conditions) : undefined;
}

/** The columns a change writes (`reason` only with a status: a quality change keeps the reason). */
export function changeSet(change: TemplateChange, at: string) {
  return {
    ...(change.status !== undefined ? { status: change.status, rejectedReason: change.reason ?? null } : {}),
    ...(change.quality !== undefined ? { quality: change.quality } : {}),
    updatedAt: at,
  };
}

/**
 * Each channel's copy of its WhatsApp Business Account's message templates. `replaceChannel` makes the
 * stored list what Meta listed (templates deleted at Meta go); `applyChange` records status and
 * quality webhooks; `syncState` tells whether a channel has ever been synced.
 */
export class TemplateRepository {
  constructor(private readonly db: Db) {}

  /** Makes the channel's templates exactly `templates`, marks the sync done; returns the stored rows. */
  replaceChannel(channelId: string, wabaId: string, templates: TemplateInput[], at: string): TemplateRow[] {
    return this.db.transaction((tx) => {
      for (const t of templates) {
        tx.insert(messageTemplates)
          .values({
            id: randomUUID(),
            channelId,
            wabaId,
            ...t,
            lastSyncedAt: at,
            createdAt: at,
            updatedAt: at,
          })
          .onConflictDoUpdate({
            target: [messageTemplates.channelId, messageTemplates.providerId],
            set: { wabaId, ...t, lastSyncedAt: at, updatedAt: at },
          })
          .run();
      }
      const keep = templates.map((t) => t.providerId);
      tx.delete(messageTemplates)
        .where(
          keep.length
            ? and(eq(messageTemplates.channelId, channelId), notInArray(messageTemplates.providerId, keep))
            : eq(messageTemplates.channelId, channelId),
        )
        .run();
      tx.insert(templateSyncs)
        .values({ channelId, wabaId, syncedAt: at, attemptedAt: at, lastError: null })
        .onConflictDoUpdate({
          target: templateSyncs.channelId,
          set: { wabaId, syncedAt: at, attemptedAt: at, lastError: null },
        })
        .run();
      return this.list({ channelId });
    });
  }

  /** Records a failed sync (the templates already stored stay as they were). */
  syncFailed(channelId: string, wabaId: string, error: string, at: string): void {
    this.db
      .insert(templateSyncs)
      .values({ channelId, wabaId, syncedAt: null, attemptedAt: at, lastError: error })
      .onConflictDoUpdate({
        target: templateSyncs.channelId,
        set: { wabaId, attemptedAt: at, lastError: error },
      })
      .run();
  }

  syncState(channelId: string): TemplateSyncRow | undefined {
    return this.db.select().from(templateSyncs).where(eq(templateSyncs.channelId, channelId)).get();
  }

  /** One newly created template (before the next sync lists it). */
  insert(channelId: string, wabaId: string, t: TemplateInput, at: string): TemplateRow {
    this.db
      .insert(messageTemplates)
      .values({ id: randomUUID(), channelId, wabaId, ...t, lastSyncedAt: null, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({
        target: [messageTemplates.channelId, messageTemplates.providerId],
        set: { ...t, updatedAt: at },
      })
      .run();
    return this.db
      .select()
      .from(messageTemplates)
      .where(and(eq(messageTemplates.channelId, channelId), eq(messageTemplates.providerId, t.providerId)))
      .get()!;
  }

  get(id: string): TemplateRow | undefined {
    return this.db.select().from(messageTemplates).where(eq(messageTemplates.id, id)).get();
  }

  /** By name, then language (byte order), then channel. */
  list(filter: TemplateFilter = {}): TemplateRow[] {
    return this.db
      .select()
      .from(messageTemplates)
      .where(templateConditions(messageTemplates, filter))
      .orderBy(asc(messageTemplates.name), asc(messageTemplates.language), asc(messageTemplates.channelId))
      .all();
  }

  /** Applies a status or quality webhook to every channel's copy; returns the rows changed. */
  applyChange(change: TemplateChange, at: string): TemplateRow[] {
    this.db
      .update(messageTemplates)
      .set(changeSet(change, at))
      .where(eq(messageTemplates.providerId, change.providerId))
      .run();
    return this.db
      .select()
      .from(messageTemplates)
      .where(eq(messageTemplates.providerId, change.providerId))
      .orderBy(asc(messageTemplates.channelId))
      .all();
  }
}
