import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { claimDueRows } from './leased-queue.js';
import { crmSyncRecords, crmSyncSettings } from './schema.js';

export type CrmSyncSettingRow = typeof crmSyncSettings.$inferSelect;
export type CrmSyncRecordRow = typeof crmSyncRecords.$inferSelect;

export interface CrmSyncSettingInput {
  channel: string;
  provider: string;
  credential: string;
  logAs: string;
  enabled: boolean;
}

/** A message to log on a CRM timeline. */
export interface CrmSyncMessage {
  channel: string;
  messageId: string;
  direction: 'in' | 'out';
  waId: string;
  name: string | null;
  text: string;
  messageAt: string;
  provider: string;
  at: string;
}

/** One attempt's outcome, with what it learnt (the contact's id), recorded on a claimed record. */
export interface CrmSyncResult {
  id: string;
  at: string;
  /** `synced`; `retry` at `retryAt`; `dead` (out of retries or refused); `skipped` (sync turned off). */
  outcome: 'synced' | 'retry' | 'dead' | 'skipped';
  retryAt?: string | null;
  error?: string | null;
  crmContactId?: string | null;
  contactCreated?: boolean;
  crmRecordId?: string | null;
}

/** How long a claim lasts by default: far longer than one sync (three CRM calls) takes. */
export const DEFAULT_CRM_SYNC_LEASE_MS = 120_000;

export const newCrmSyncId = () => `crm_${randomUUID()}`;

export function crmRecordValues(id: string, m: CrmSyncMessage) {
  return {
    id,
    channel: m.channel,
    messageId: m.messageId,
    direction: m.direction,
    waId: m.waId,
    name: m.name,
    text: m.text,
    messageAt: m.messageAt,
    provider: m.provider,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: m.at,
    createdAt: m.at,
  };
}

/** The columns an attempt's outcome sets on its record. */
export function crmNextState(r: CrmSyncResult) {
  const learnt = {
    lastError: r.error ?? null,
    claimExpiresAt: null,
    ...(r.crmContactId ? { crmContactId: r.crmContactId } : {}),
    ...(r.contactCreated ? { contactCreated: true } : {}),
    ...(r.crmRecordId ? { crmRecordId: r.crmRecordId } : {}),
  };
  if (r.outcome === 'synced') return { ...learnt, status: 'synced', syncedAt: r.at, nextAttemptAt: null };
  if (r.outcome === 'retry') return { ...learnt, status: 'pending', nextAttemptAt: r.retryAt ?? r.at };
  return { ...learnt, status: r.outcome, nextAttemptAt: null };
}

/**
 * The columns a replay sets: pending now, attempts and retry window from zero. The contact is looked up
 * again (it may have been merged or deleted in the CRM meanwhile); one this sync created is found by
 * its phone, so a replay never creates a second.
 */
export const CRM_REPLAY = (at: string) => ({
  status: 'pending',
  attempts: 0,
  nextAttemptAt: at,
  firstAttemptAt: null,
  claimExpiresAt: null,
  lastError: null,
  crmContactId: null,
});

/**
 * CRM timeline sync: each channel's setting, and one record per message to log, claimed by workers
 * under a lease. Only dead records can be replayed: a synced one is on the timeline already.
 */
export class CrmSyncRepository {
  constructor(private readonly db: Db) {}

  setting(channel: string): CrmSyncSettingRow | undefined {
    return this.db.select().from(crmSyncSettings).where(eq(crmSyncSettings.channel, channel)).get();
  }

  settings(): CrmSyncSettingRow[] {
    return this.db.select().from(crmSyncSettings).orderBy(asc(crmSyncSettings.channel)).all();
  }

  putSetting(input: CrmSyncSettingInput, at: string): CrmSyncSettingRow {
    return this.db
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
      .returning()
      .get();
  }

  removeSetting(channel: string): boolean {
    return this.db.delete(crmSyncSettings).where(eq(crmSyncSettings.channel, channel)).run().changes > 0;
  }

  /** Adds the record unless the channel has this message already; true when added. */
  enqueue(message: CrmSyncMessage): boolean {
    return (
      this.db
        .insert(crmSyncRecords)
        .values(crmRecordValues(newCrmSyncId(), message))
        .onConflictDoNothing()
        .run().changes > 0
    );
  }

  /**
   * Takes up to `limit` due records, oldest first, marks them `syncing` under a claim that lapses
   * `leaseMs` after `now`, counts the attempt and starts the retry window at the first one.
   */
  claimDue(now: string, limit: number, leaseMs: number = DEFAULT_CRM_SYNC_LEASE_MS): CrmSyncRecordRow[] {
    return claimDueRows(this.db, crmSyncRecords, 'syncing', now, limit, leaseMs);
  }

  /**
   * Keeps what an attempt learnt before it ended (the contact found or created), so a crash or a
   * failure after that point never creates the contact again. Applies only while the record is claimed.
   */
  noteContact(id: string, crmContactId: string, created: boolean): void {
    this.db
      .update(crmSyncRecords)
      .set({ crmContactId, ...(created ? { contactCreated: true } : {}) })
      .where(and(eq(crmSyncRecords.id, id), eq(crmSyncRecords.status, 'syncing')))
      .run();
  }

  /** Moves a claimed record on; a record no longer `syncing` (replayed meanwhile) keeps its state. */
  record(result: CrmSyncResult): CrmSyncRecordRow | undefined {
    return this.db
      .update(crmSyncRecords)
      .set(crmNextState(result))
      .where(and(eq(crmSyncRecords.id, result.id), eq(crmSyncRecords.status, 'syncing')))
      .returning()
      .get();
  }

  get(id: string): CrmSyncRecordRow | undefined {
    return this.db.select().from(crmSyncRecords).where(eq(crmSyncRecords.id, id)).get();
  }

  /** A channel's records, newest first, optionally of one status. */
  list(channel: string, filter: { status?: string; limit?: number } = {}): CrmSyncRecordRow[] {
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
      .limit(Math.min(Math.max(filter.limit ?? 50, 1), 500))
      .all();
  }

  /** A dead record of this channel back to pending now; undefined when it is not dead (or not there). */
  replay(channel: string, id: string, at: string): CrmSyncRecordRow | undefined {
    return this.db
      .update(crmSyncRecords)
      .set(CRM_REPLAY(at))
      .where(
        and(
          eq(crmSyncRecords.id, id),
          eq(crmSyncRecords.channel, channel),
          eq(crmSyncRecords.status, 'dead'),
        ),
      )
      .returning()
      .get();
  }

  /** Every dead record of a channel back to pending; returns how many. */
  replayDead(channel: string, at: string): number {
    return this.db
      .update(crmSyncRecords)
      .set(CRM_REPLAY(at))
      .where(and(eq(crmSyncRecords.channel, channel), eq(crmSyncRecords.status, 'dead')))
      .run().changes;
  }
}
