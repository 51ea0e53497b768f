// Same behaviour as SQLite (../campaign-repo.ts). Claims are serialized by a transaction-scoped advisory
// lock, so two workers never both see a channel free and take two of its campaigns at once.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import {
  type CampaignListFilter,
  type CampaignListPage,
  campaignListCondition,
  campaignListPage,
  listLimit,
  type RecipientPage,
  recipientFilterConditions,
} from '../campaign-filters.js';
import {
  type CampaignInput,
  type CampaignPatch,
  type CampaignRecipientRow,
  type CampaignRecipientView,
  type CampaignRepository,
  type CampaignRow,
  type CampaignTally,
  claimableCondition,
  countedTemplateCondition,
  otherLive,
  type RecipientInput,
  type RecipientOutcome,
  type RecipientState,
  recipientStateCondition,
  repliedCondition,
  settled,
} from '../campaign-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { campaignRecipients, campaigns } from './tables/campaigns.js';
import { outbox, outboxStatuses } from './tables/messaging.js';

const LEASE = { leaseOwner: null, leaseExpiresAt: null };
/** The advisory lock key of campaign claims (any constant no other feature uses). */
const CLAIM_LOCK = 710_042;

export class PgCampaignRepository implements AsyncOf<CampaignRepository> {
  constructor(private readonly db: PgSession) {}

  async list(filter: CampaignListFilter = {}): Promise<CampaignListPage<CampaignRow>> {
    const limit = listLimit(filter.limit);
    // Ids compare by their bytes, as in SQLite, so both order (and page) alike.
    const id = sql`${campaigns.id} collate "C"`;
    const rows = await this.db
      .select()
      .from(campaigns)
      .where(campaignListCondition(campaigns, id, filter))
      .orderBy(desc(campaigns.createdAt), sql`${id} desc`)
      .limit(limit + 1);
    return campaignListPage(rows, limit);
  }

  async get(id: string): Promise<CampaignRow | undefined> {
    const [row] = await this.db.select().from(campaigns).where(eq(campaigns.id, id));
    return row;
  }

  async create(input: CampaignInput, at: string): Promise<CampaignRow> {
    const [row] = await this.db
      .insert(campaigns)
      .values({ ...input, status: 'draft', createdAt: at, updatedAt: at })
      .returning();
    return row!;
  }

  async update(id: string, patch: CampaignPatch, at: string): Promise<CampaignRow | undefined> {
    const [row] = await this.db
      .update(campaigns)
      .set({ ...patch, updatedAt: at })
      .where(eq(campaigns.id, id))
      .returning();
    return row;
  }

  async transition(
    id: string,
    from: string[],
    set: CampaignPatch,
    at: string,
  ): Promise<CampaignRow | undefined> {
    const [row] = await this.db
      .update(campaigns)
      .set({ ...set, updatedAt: at })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, from)))
      .returning();
    return row;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.delete(campaignRecipients).where(eq(campaignRecipients.campaignId, id));
      const rows = await tx.delete(campaigns).where(eq(campaigns.id, id)).returning({ id: campaigns.id });
      return rows.length > 0;
    });
  }

  async addRecipients(campaignId: string, rows: RecipientInput[]): Promise<number> {
    if (rows.length === 0) return 0;
    const added = await this.db
      .insert(campaignRecipients)
      .values(rows.map((r) => ({ campaignId, waId: r.waId, name: r.name })))
      .onConflictDoNothing()
      .returning({ waId: campaignRecipients.waId });
    return added.length;
  }

  async claim(now: string, owner: string, leaseMs: number): Promise<CampaignRow | undefined> {
    const expires = new Date(Date.parse(now) + leaseMs).toISOString();
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
      const [found] = await tx
        .select({ id: campaigns.id })
        .from(campaigns)
        .where(claimableCondition(campaigns, now, otherLive(now)))
        .orderBy(asc(campaigns.createdAt), asc(campaigns.id))
        .limit(1);
      if (!found) return undefined;
      const [row] = await tx
        .update(campaigns)
        .set({ leaseOwner: owner, leaseExpiresAt: expires })
        .where(eq(campaigns.id, found.id))
        .returning();
      return row;
    });
  }

  async release(
    id: string,
    owner: string,
    patch: CampaignPatch,
    at: string,
  ): Promise<CampaignRow | undefined> {
    const [row] = await this.db
      .update(campaigns)
      .set({ ...patch, ...LEASE, updatedAt: at })
      .where(and(eq(campaigns.id, id), eq(campaigns.leaseOwner, owner)))
      .returning();
    return row;
  }

  async duePending(campaignId: string, now: string, limit: number): Promise<CampaignRecipientRow[]> {
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
      .limit(limit);
  }

  async pending(campaignId: string): Promise<{ count: number; nextDueAt: string | null }> {
    const [row] = await this.db
      .select({
        n: sql<number>`count(*)`,
        undated: sql<number>`sum(case when ${campaignRecipients.dueAt} is null then 1 else 0 end)`,
        next: sql<Date | string | null>`min(${campaignRecipients.dueAt})`,
      })
      .from(campaignRecipients)
      .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending')));
    const next = row?.next ? new Date(row.next).toISOString() : null;
    return { count: Number(row?.n ?? 0), nextDueAt: Number(row?.undated ?? 0) > 0 ? null : next };
  }

  async defer(campaignId: string, waId: string, dueAt: string): Promise<void> {
    await this.db
      .update(campaignRecipients)
      .set({ dueAt })
      .where(
        and(
          eq(campaignRecipients.campaignId, campaignId),
          eq(campaignRecipients.waId, waId),
          eq(campaignRecipients.status, 'pending'),
        ),
      );
  }

  async settle(campaignId: string, waId: string, outcome: RecipientOutcome): Promise<boolean> {
    const rows = await this.db
      .update(campaignRecipients)
      .set(settled(outcome))
      .where(
        and(
          eq(campaignRecipients.campaignId, campaignId),
          eq(campaignRecipients.waId, waId),
          eq(campaignRecipients.status, 'pending'),
        ),
      )
      .returning({ waId: campaignRecipients.waId });
    return rows.length > 0;
  }

  async cancelPending(campaignId: string): Promise<number> {
    const rows = await this.db
      .update(campaignRecipients)
      .set({ status: 'cancelled' })
      .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.status, 'pending')))
      .returning({ waId: campaignRecipients.waId });
    return rows.length;
  }

  async tally(campaignId: string): Promise<{ groups: CampaignTally[]; replied: number }> {
    const groups = await this.db
      .select({
        status: campaignRecipients.status,
        reason: campaignRecipients.reason,
        outboxStatus: outbox.status,
        n: sql<number>`count(*)`,
      })
      .from(campaignRecipients)
      .leftJoin(outbox, eq(outbox.id, campaignRecipients.outboxId))
      .where(eq(campaignRecipients.campaignId, campaignId))
      .groupBy(campaignRecipients.status, campaignRecipients.reason, outbox.status);
    const [row] = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(campaignRecipients)
      .where(
        and(eq(campaignRecipients.campaignId, campaignId), sql`${campaignRecipients.repliedAt} is not null`),
      );
    return { groups: groups.map((g) => ({ ...g, n: Number(g.n) })), replied: Number(row?.n ?? 0) };
  }

  async failures(campaignId: string): Promise<Array<{ outboxStatus: string; error: unknown }>> {
    return this.db
      .select({ outboxStatus: outbox.status, error: outbox.lastError })
      .from(campaignRecipients)
      .innerJoin(outbox, eq(outbox.id, campaignRecipients.outboxId))
      .where(
        and(eq(campaignRecipients.campaignId, campaignId), inArray(outbox.status, ['failed', 'refused'])),
      );
  }

  async recipients(
    campaignId: string,
    page: RecipientPage<RecipientState>,
  ): Promise<CampaignRecipientView[]> {
    const at = (status: string) =>
      sql<
        string | null
      >`(select to_char(min(${outboxStatuses.at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from ${outboxStatuses} where ${outboxStatuses.outboxId} = ${outbox.id} and ${outboxStatuses.status} = ${status})`;
    const rows = await this.db
      .select({
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
          recipientFilterConditions(campaignRecipients, outbox, page, sql`${outbox.lastError}->>'code'`),
          page.after !== undefined ? sql`${campaignRecipients.waId} > ${page.after}` : undefined,
        ),
      )
      .orderBy(asc(campaignRecipients.waId))
      .limit(page.limit);
    return rows;
  }

  async templateRecipientsSince(
    channels: string[],
    since: string,
  ): Promise<{ count: number; oldest: string | null }> {
    if (channels.length === 0) return { count: 0, oldest: null };
    const [row] = await this.db
      .select({
        n: sql<number>`count(distinct ${outbox.recipient})`,
        oldest: sql<Date | string | null>`min(${outbox.createdAt})`,
      })
      .from(outbox)
      .where(countedTemplateCondition(outbox, channels, since));
    return { count: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest).toISOString() : null };
  }

  async markReplied(channel: string, waId: string, since: string, at: string): Promise<CampaignRow[]> {
    const found = await this.db
      .select({ id: campaigns.id })
      .from(campaignRecipients)
      .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
      .where(repliedCondition(channel, waId, since, campaigns, campaignRecipients));
    const ids = found.map((r) => r.id);
    if (ids.length === 0) return [];
    await this.db
      .update(campaignRecipients)
      .set({ repliedAt: at })
      .where(
        and(
          inArray(campaignRecipients.campaignId, ids),
          eq(campaignRecipients.waId, waId),
          isNull(campaignRecipients.repliedAt),
        ),
      );
    return this.db.select().from(campaigns).where(inArray(campaigns.id, ids));
  }
}
