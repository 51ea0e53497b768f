import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import {
  type CampaignListFilter,
  type CampaignListPage,
  campaignListCondition,
  campaignListPage,
  listLimit,
  type RecipientPage,
  recipientFilterConditions,
} from './campaign-filters.js';
import type { Db } from './connection.js';
import { campaignRecipients, campaigns, outbox, outboxStatuses } from './schema.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignRecipientRow = typeof campaignRecipients.$inferSelect;
export interface CampaignInput {
  id: string;
  name: string;
  channel: string;
  template: Record<string, unknown>;
  audience: Record<string, unknown>;
  schedule: Record<string, unknown>;
  replyFlowId: string | null;
}
export type CampaignPatch = Partial<Omit<CampaignRow, 'id' | 'createdAt' | 'updatedAt'>>;
export interface RecipientInput {
  waId: string;
  name: string | null;
}
/** What became of a pending recipient: in the outbox, or skipped with a reason. */
export interface RecipientOutcome {
  status: 'queued' | 'skipped';
  reason?: string | null;
  outboxId?: string | null;
  at: string;
}
/** One group of a campaign's recipients: their own status and reason, and their message's status. */
export interface CampaignTally {
  status: string;
  reason: string | null;
  outboxStatus: string | null;
  n: number;
}
/** A recipient with its message's progress (from the outbox). */
export interface CampaignRecipientView extends CampaignRecipientRow {
  outboxStatus: string | null;
  lastError: unknown;
  providerMessageId: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
}
/** The states a recipient is listed by: its own, or its message's once queued. */
export type RecipientState =
  | 'pending'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/** Statuses a worker sends for; a scheduled campaign turns running when its start time comes. */
export const ACTIVE_CAMPAIGN_STATUSES = ['running', 'scheduled'];

// biome-ignore lint/suspicious/noExplicitAny: the Postgres tables have the same columns in their dialect
type Cols = any;

/** A recipient in `state`, read with its outbox row joined (see `RecipientState`). */
export function recipientStateCondition(r: Cols, o: Cols, state: RecipientState): SQL | undefined {
  switch (state) {
    case 'pending':
    case 'cancelled':
      return eq(r.status, state);
    case 'skipped':
      // A message the sender refused at send time (policy changed since) counts as skipped too.
      return or(eq(r.status, 'skipped'), and(eq(r.status, 'queued'), eq(o.status, 'refused')));
    case 'queued':
      return and(eq(r.status, 'queued'), or(isNull(o.status), inArray(o.status, ['queued', 'sending'])));
    default:
      return and(eq(r.status, 'queued'), eq(o.status, state));
  }
}

/** Claimable: active, not waiting, lease free, and no other campaign of its channel is being worked on. */
export function claimableCondition(c: Cols, now: string, otherLive: SQL): SQL | undefined {
  return and(
    inArray(c.status, ACTIVE_CAMPAIGN_STATUSES),
    or(isNull(c.waitingUntil), lte(c.waitingUntil, now)),
    or(isNull(c.leaseExpiresAt), lte(c.leaseExpiresAt, now)),
    sql`not exists (${otherLive})`,
  );
}

/** Template messages that count towards the messaging limit (business-initiated, and reached Meta). */
export function countedTemplateCondition(o: Cols, channels: string[], since: string): SQL | undefined {
  return and(
    inArray(o.channel, channels),
    eq(o.kind, 'template'),
    sql`${o.createdAt} >= ${since}`,
    ne(o.status, 'refused'),
    sql`not (${o.status} = 'failed' and ${o.providerMessageId} is null)`,
  );
}

const LEASE = { leaseOwner: null, leaseExpiresAt: null };

/**
 * Broadcast campaigns and their recipients. A worker claims one campaign at a time under a lease; no
 * two campaigns of one channel are worked on at once, so the messaging limit is counted by one worker.
 */
export class CampaignRepository {
  constructor(private readonly db: Db) {}

  /** A page of campaigns, newest first; a cursor that is not one of ours throws `CursorError`. */
  list(filter: CampaignListFilter = {}): CampaignListPage<CampaignRow> {
    const limit = listLimit(filter.limit);
    const rows = this.db
      .select()
      .from(campaigns)
      .where(campaignListCondition(campaigns, campaigns.id, filter))
      .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
      .limit(limit + 1)
      .all();
    return campaignListPage(rows, limit);
  }

  get(id: string): CampaignRow | undefined {
    return this.db.select().from(campaigns).where(eq(campaigns.id, id)).get();
  }

  create(input: CampaignInput, at: string): CampaignRow {
    this.db
      .insert(campaigns)
      .values({ ...input, status: 'draft', createdAt: at, updatedAt: at })
      .run();
    return this.get(input.id)!;
  }

  update(id: string, patch: CampaignPatch, at: string): CampaignRow | undefined {
    return this.db
      .update(campaigns)
      .set({ ...patch, updatedAt: at })
      .where(eq(campaigns.id, id))
      .returning()
      .get();
  }

  /** Applies `set` only while the campaign's status is one of `from`; undefined otherwise. */
  transition(id: string, from: string[], set: CampaignPatch, at: string): CampaignRow | undefined {
    return this.db
      .update(campaigns)
      .set({ ...set, updatedAt: at })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, from)))
      .returning()
      .get();
  }

  /** The campaign and its recipients (their messages stay in the outbox). */
  remove(id: string): boolean {
    this.db.delete(campaignRecipients).where(eq(campaignRecipients.campaignId, id)).run();
    return this.db.delete(campaigns).where(eq(campaigns.id, id)).run().changes > 0;
  }

  /** Adds recipients; a WhatsApp id the campaign has already is kept once. Returns how many were added. */
  addRecipients(campaignId: string, rows: RecipientInput[]): number {
    if (rows.length === 0) return 0;
    return this.db
      .insert(campaignRecipients)
      .values(rows.map((r) => ({ campaignId, waId: r.waId, name: r.name })))
      .onConflictDoNothing()
      .run().changes;
  }

  /** Takes the oldest claimable campaign (see `claimableCondition`) under a lease until `now + leaseMs`. */
  claim(now: string, owner: string, leaseMs: number): CampaignRow | undefined {
    const expires = new Date(Date.parse(now) + leaseMs).toISOString();
    return this.db.transaction(
      (tx) => {
        const found = tx
          .select({ id: campaigns.id })
          .from(campaigns)
          .where(claimableCondition(campaigns, now, otherLive(now)))
          .orderBy(asc(campaigns.createdAt), asc(campaigns.id))
          .limit(1)
          .get();
        if (!found) return undefined;
        return tx
          .update(campaigns)
          .set({ leaseOwner: owner, leaseExpiresAt: expires })
          .where(eq(campaigns.id, found.id))
          .returning()
          .get();
      },
      { behavior: 'immediate' },
    );
  }

  /** Ends `owner`'s lease, setting `patch` with it; undefined when the lease was no longer its own. */
  release(id: string, owner: string, patch: CampaignPatch, at: string): CampaignRow | undefined {
    return this.db
      .update(campaigns)
      .set({ ...patch, ...LEASE, updatedAt: at })
      .where(and(eq(campaigns.id, id), eq(campaigns.leaseOwner, owner)))
      .returning()
      .get();
  }

  /** Pending recipients whose time has come, by WhatsApp id. */
  duePending(campaignId: string, now: string, limit: number): CampaignRecipientRow[] {
    if (limit <= 0) return [];
    return this.db
      .select()
      .from(campaignRecipients)
      .where(
        and(
          eq(campaignRecipients.campaignId, campaignId),
          eq(campaignRecipients.status, 'pending'),
          or(isNull(campaignRecipients.dueAt), lte(campaignRecipients.dueAt, now)),
        ),
      )
      .orderBy(asc(campaignRecipients.waId))
      .limit(limit)
      .all();
  }

  /** How many recipients are pending, and when the first of them falls due (null: one is due now). */
  pending(campaignId: string): { count: number; nextDueAt: string | null } {
    const [row] = this.db
      .select({
        n: sql<number>`count(*)`,
        undated: sql<number>`sum(case when ${campaignRecipients.dueAt} is null then 1 else 0 end)`,
        next: sql<string | null>`min(${campaignRecipients.dueAt})`,
      })
      .from(campaignRecipients)
      .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending')))
      .all();
    const count = Number(row?.n ?? 0);
    return { count, nextDueAt: Number(row?.undated ?? 0) > 0 ? null : (row?.next ?? null) };
  }

  /** A pending recipient waits until `dueAt` (outside the contact's local hours). */
  defer(campaignId: string, waId: string, dueAt: string): void {
    this.db
      .update(campaignRecipients)
      .set({ dueAt })
      .where(
        and(
          eq(campaignRecipients.campaignId, campaignId),
          eq(campaignRecipients.waId, waId),
          eq(campaignRecipients.status, 'pending'),
        ),
      )
      .run();
  }

  /** A pending recipient queued or skipped; false when it was not pending any more. */
  settle(campaignId: string, waId: string, outcome: RecipientOutcome): boolean {
    return (
      this.db
        .update(campaignRecipients)
        .set(settled(outcome))
        .where(
          and(
            eq(campaignRecipients.campaignId, campaignId),
            eq(campaignRecipients.waId, waId),
            eq(campaignRecipients.status, 'pending'),
          ),
        )
        .run().changes > 0
    );
  }

  /** Every pending recipient cancelled; returns how many. */
  cancelPending(campaignId: string): number {
    return this.db
      .update(campaignRecipients)
      .set({ status: 'cancelled' })
      .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending')))
      .run().changes;
  }

  /** The campaign's recipients grouped by their status, reason and message status (one query). */
  tally(campaignId: string): { groups: CampaignTally[]; replied: number } {
    const groups = this.db
      .select({
        status: campaignRecipients.status,
        reason: campaignRecipients.reason,
        outboxStatus: outbox.status,
        n: sql<number>`count(*)`,
      })
      .from(campaignRecipients)
      .leftJoin(outbox, eq(outbox.id, campaignRecipients.outboxId))
      .where(eq(campaignRecipients.campaignId, campaignId))
      .groupBy(campaignRecipients.status, campaignRecipients.reason, outbox.status)
      .all()
      .map((g) => ({ ...g, n: Number(g.n) }));
    const [row] = this.db
      .select({ n: sql<number>`count(*)` })
      .from(campaignRecipients)
      .where(
        and(eq(campaignRecipients.campaignId, campaignId), sql`${campaignRecipients.repliedAt} is not null`),
      )
      .all();
    return { groups, replied: Number(row?.n ?? 0) };
  }

  /** The errors of the campaign's failed and refused messages (grouped by code by the caller). */
  failures(campaignId: string): Array<{ outboxStatus: string; error: unknown }> {
    return this.db
      .select({ outboxStatus: outbox.status, error: outbox.lastError })
      .from(campaignRecipients)
      .innerJoin(outbox, eq(outbox.id, campaignRecipients.outboxId))
      .where(
        and(eq(campaignRecipients.campaignId, campaignId), inArray(outbox.status, ['failed', 'refused'])),
      )
      .all();
  }

  /** Recipients by WhatsApp id after `after`, optionally in one state, of one reason or error code. */
  recipients(campaignId: string, page: RecipientPage<RecipientState>): CampaignRecipientView[] {
    const at = (status: string) =>
      sql<
        string | null
      >`(select min(${outboxStatuses.at}) from ${outboxStatuses} where ${outboxStatuses.outboxId} = ${outbox.id} and ${outboxStatuses.status} = ${status})`;
    return this.db
      .select({
        ...RECIPIENT_COLUMNS,
        outboxStatus: outbox.status,
        lastError: outbox.lastError,
        providerMessageId: outbox.providerMessageId,
        sentAt: at('sent'),
        deliveredAt: at('delivered'),
        readAt: at('read'),
      })
      .from(campaignRecipients)
      .leftJoin(outbox, eq(outbox.id, campaignRecipients.outboxId))
      .where(
        and(
          eq(campaignRecipients.campaignId, campaignId),
          page.state ? recipientStateCondition(campaignRecipients, outbox, page.state) : undefined,
          recipientFilterConditions(
            campaignRecipients,
            outbox,
            page,
            sql`cast(json_extract(${outbox.lastError}, '$.code') as text)`,
          ),
          page.after !== undefined ? gt(campaignRecipients.waId, page.after) : undefined,
        ),
      )
      .orderBy(asc(campaignRecipients.waId))
      .limit(page.limit)
      .all();
  }

  /**
   * Distinct recipients of counted template messages (`countedTemplateCondition`) of `channels` since
   * `since`, and when the oldest of those messages was created.
   */
  templateRecipientsSince(channels: string[], since: string): { count: number; oldest: string | null } {
    if (channels.length === 0) return { count: 0, oldest: null };
    const [row] = this.db
      .select({
        n: sql<number>`count(distinct ${outbox.recipient})`,
        oldest: sql<string | null>`min(${outbox.createdAt})`,
      })
      .from(outbox)
      .where(countedTemplateCondition(outbox, channels, since))
      .all();
    return { count: Number(row?.n ?? 0), oldest: row?.oldest ?? null };
  }

  /**
   * Notes a reply from `waId` on `channel` to campaign messages queued since `since`: sets `repliedAt`
   * on recipients not marked yet and returns their campaigns.
   */
  markReplied(channel: string, waId: string, since: string, at: string): CampaignRow[] {
    const ids = this.db
      .select({ id: campaigns.id })
      .from(campaignRecipients)
      .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
      .where(repliedCondition(channel, waId, since))
      .all()
      .map((r) => r.id);
    if (ids.length === 0) return [];
    this.db
      .update(campaignRecipients)
      .set({ repliedAt: at })
      .where(
        and(
          inArray(campaignRecipients.campaignId, ids),
          eq(campaignRecipients.waId, waId),
          isNull(campaignRecipients.repliedAt),
        ),
      )
      .run();
    return this.db.select().from(campaigns).where(inArray(campaigns.id, ids)).all();
  }
}

export const RECIPIENT_COLUMNS = {
  campaignId: campaignRecipients.campaignId,
  waId: campaignRecipients.waId,
  name: campaignRecipients.name,
  status: campaignRecipients.status,
  reason: campaignRecipients.reason,
  outboxId: campaignRecipients.outboxId,
  queuedAt: campaignRecipients.queuedAt,
  repliedAt: campaignRecipients.repliedAt,
  dueAt: campaignRecipients.dueAt,
  attempts: campaignRecipients.attempts,
};

/** The columns a settled recipient gets. */
export function settled(outcome: RecipientOutcome) {
  return {
    status: outcome.status,
    reason: outcome.reason ?? null,
    outboxId: outcome.outboxId ?? null,
    queuedAt: outcome.status === 'queued' ? outcome.at : null,
  };
}

/** Another campaign of the same channel under a live lease (see `claimableCondition`). */
export function otherLive(now: string): SQL {
  // Spelt out: the inner and the outer table are the same one, told apart by the alias.
  return sql`select 1 from campaigns as other where other.channel = campaigns.channel and other.id <> campaigns.id and other.lease_expires_at > ${now}`;
}

/** Queued recipients `waId` of a running, paused or completed campaign of `channel`, not replied yet. */
export function repliedCondition(
  channel: string,
  waId: string,
  since: string,
  c: Cols = campaigns,
  r: Cols = campaignRecipients,
) {
  return and(
    eq(c.channel, channel),
    inArray(c.status, ['running', 'paused', 'completed']),
    eq(r.waId, waId),
    eq(r.status, 'queued'),
    sql`${r.queuedAt} >= ${since}`,
    isNull(r.repliedAt),
  );
}
