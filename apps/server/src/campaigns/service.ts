import type {
  CampaignRow,
  Database,
  RecipientPage,
  RecipientState,
  Repositories,
  SegmentFilter,
} from '@switchboard/db';
import type { ChannelService } from '../channels.js';
import { eventIdOf, type SubscriptionEvents } from '../subscriptions/events.js';
import { type CampaignCounts, countsOf, failuresOf } from './counts.js';
import type { LocalHours } from './local-hours.js';
import { type MessagingLimitView, type MessagingTier, messagingLimit } from './messaging-limit.js';
import type { StoredCampaignTemplate } from './template.js';

export type Audience = { segmentId: string } | { filter: SegmentFilter };
export interface Schedule {
  startAt: string | null;
  localHours: LocalHours | null;
}

/** A transition the campaign's status does not allow (409). */
export class CampaignConflict extends Error {}
/** Something the campaign names is gone (422), e.g. its segment was deleted before the start. */
export class CampaignInvalid extends Error {
  constructor(
    message: string,
    readonly problems: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

/** Recipients snapshotted per page at the start. */
const SNAPSHOT_PAGE = 1000;

export interface CampaignServiceDeps {
  database: Database;
  channels: Pick<ChannelService, 'all'>;
  tier: MessagingTier;
  events: Pick<SubscriptionEvents, 'emit'>;
  /** Told when a campaign may have work (the runner looks at once). */
  nudge: () => void;
}

/**
 * Campaigns' lifecycle and figures (docs/campaigns.md). `now` is the service's clock: the runner and
 * every transition read it, so tests can move time (the messaging limit's 24 hours, local hours).
 */
export class CampaignService {
  now: () => Date = () => new Date();

  constructor(private readonly deps: CampaignServiceDeps) {}

  private get repo() {
    return this.deps.database.repos.campaigns;
  }

  limit(channelId: string): Promise<MessagingLimitView> {
    return messagingLimit(
      { repos: this.deps.database.repos, channels: this.deps.channels, tier: this.deps.tier },
      channelId,
      this.now(),
    );
  }

  /** The contacts an audience selects, on the campaign's channel. */
  async filterOf(
    audience: Audience,
    channelId: string,
    repos: Pick<Repositories, 'segments'> = this.deps.database.repos,
  ): Promise<SegmentFilter> {
    let filter: SegmentFilter;
    if ('segmentId' in audience) {
      const segment = await repos.segments.get(audience.segmentId);
      if (!segment)
        throw new CampaignInvalid(`no segment ${audience.segmentId}`, [
          { path: '$.body.audience.segmentId', message: `no segment ${audience.segmentId}` },
        ]);
      filter = segment.filter;
    } else filter = audience.filter;
    return { ...filter, channel: channelId };
  }

  /**
   * Snapshots the audience into recipients and starts the campaign (or schedules it), all in one
   * transaction: when the answer says started, every recipient is stored.
   */
  async start(id: string): Promise<CampaignRow> {
    const now = this.now();
    const at = now.toISOString();
    const row = await this.deps.database.transaction(async (r) => {
      const found = await r.campaigns.get(id);
      if (!found) return undefined;
      if (found.status !== 'draft')
        throw new CampaignConflict(`campaign ${id} is ${found.status}: only a draft can be started`);
      const filter = await this.filterOf(found.audience as unknown as Audience, found.channel, r);
      let after: string | undefined;
      for (;;) {
        const page = await r.segments.resolve(filter, { now: at, after, limit: SNAPSHOT_PAGE });
        if (page.length === 0) break;
        await r.campaigns.addRecipients(
          id,
          page.map((c) => ({ waId: c.waId, name: c.name })),
        );
        after = page[page.length - 1]!.id;
        if (page.length < SNAPSHOT_PAGE) break;
      }
      return r.campaigns.transition(id, ['draft'], this.startState(found, now), at);
    });
    if (!row) throw new CampaignConflict(`campaign ${id} changed meanwhile`);
    this.deps.nudge();
    return row;
  }

  /** Running now, or scheduled (waiting for its start time). */
  private startState(row: CampaignRow, now: Date) {
    const startAt = (row.schedule as unknown as Schedule).startAt;
    const later = startAt !== null && Date.parse(startAt) > now.getTime();
    return later
      ? { status: 'scheduled', startedAt: null, waitingReason: 'scheduled', waitingUntil: startAt }
      : { status: 'running', startedAt: now.toISOString(), waitingReason: null, waitingUntil: null };
  }

  async pause(id: string): Promise<CampaignRow> {
    return this.move(id, ['running', 'scheduled'], 'pause', () => ({ status: 'paused' }));
  }

  async resume(id: string): Promise<CampaignRow> {
    const row = await this.move(id, ['paused'], 'resume', (found) => ({
      ...this.startState(found, this.now()),
      startedAt: found.startedAt ?? (this.startState(found, this.now()).startedAt as string | null),
    }));
    this.deps.nudge();
    return row;
  }

  /** Cancelled: pending recipients are not sent; messages already queued are left to the outbox. */
  async cancel(id: string): Promise<CampaignRow> {
    const at = this.now().toISOString();
    const row = await this.deps.database.transaction(async (r) => {
      const found = await r.campaigns.get(id);
      if (!found) return undefined;
      const moved = await r.campaigns.transition(
        id,
        ['scheduled', 'running', 'paused'],
        { status: 'cancelled', finishedAt: at, waitingReason: null, waitingUntil: null },
        at,
      );
      if (!moved) throw new CampaignConflict(`campaign ${id} is ${found.status}: it cannot be cancelled`);
      await r.campaigns.cancelPending(id);
      return moved;
    });
    if (!row) throw new CampaignConflict(`campaign ${id} changed meanwhile`);
    await this.finished(row);
    return row;
  }

  private async move(
    id: string,
    from: string[],
    verb: string,
    set: (found: CampaignRow) => Record<string, unknown>,
  ): Promise<CampaignRow> {
    const found = await this.repo.get(id);
    if (!found) throw new CampaignConflict(`no campaign ${id}`);
    const moved = await this.repo.transition(id, from, set(found), this.now().toISOString());
    if (!moved) throw new CampaignConflict(`campaign ${id} is ${found.status}: it cannot ${verb}`);
    return moved;
  }

  /** The `campaign.finished` subscription event (completed or cancelled), once per campaign. */
  async finished(row: CampaignRow): Promise<void> {
    const { counts } = countsOf(await this.repo.tally(row.id));
    await this.deps.events.emit({
      id: eventIdOf(`campaign.finished:${row.id}`),
      type: 'campaign.finished',
      occurredAt: row.finishedAt ?? this.now().toISOString(),
      data: { campaignId: row.id, name: row.name, channel: row.channel, status: row.status, counts },
    });
  }

  /** The API's view of a campaign (docs/campaigns.md). */
  async view(row: CampaignRow, limits = new Map<string, Promise<MessagingLimitView>>()) {
    if (!limits.has(row.channel)) limits.set(row.channel, this.limit(row.channel));
    const [tally, limit] = await Promise.all([this.repo.tally(row.id), limits.get(row.channel)!]);
    const { counts, total } = countsOf(tally);
    const processed = total - counts.pending;
    const { bodyNames: _names, ...template } = row.template as unknown as StoredCampaignTemplate;
    const active = row.status === 'running' || row.status === 'scheduled';
    return {
      id: row.id,
      name: row.name,
      channelId: row.channel,
      template,
      audience: row.audience as unknown as Audience,
      schedule: row.schedule as unknown as Schedule,
      replyFlowId: row.replyFlowId,
      status: row.status as CampaignStatus,
      waiting:
        active && row.waitingReason
          ? { reason: row.waitingReason as WaitingReason, until: row.waitingUntil }
          : null,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      progress: { total, processed, percent: total === 0 ? 0 : Math.floor((processed * 100) / total) },
      counts,
      messagingLimit: { tier: limit.tier, usedLast24h: limit.usedLast24h, available: limit.available },
    };
  }

  /** Counts, skips by reason and failures by error code. */
  async results(id: string) {
    const [tally, failures] = await Promise.all([this.repo.tally(id), this.repo.failures(id)]);
    const { counts, skipped } = countsOf(tally);
    const { failed, refused } = failuresOf(failures);
    skipped.delete('refused');
    for (const [reason, n] of refused) skipped.set(reason, (skipped.get(reason) ?? 0) + n);
    return {
      counts,
      skipped: [...skipped].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      failed,
    };
  }

  async recipients(id: string, page: RecipientPage<RecipientState>) {
    const rows = await this.repo.recipients(id, { ...page, limit: page.limit + 1 });
    const items = rows.slice(0, page.limit).map((r) => {
      const error = r.lastError as { code?: number | string | null } | null;
      const state =
        r.status !== 'queued' ? r.status : r.outboxStatus === 'refused' ? 'skipped' : r.outboxStatus;
      return {
        waId: r.waId,
        name: r.name,
        status: (state === 'sending' || state === null ? 'queued' : state) as RecipientState,
        reason: r.reason ?? (r.outboxStatus === 'refused' ? String(error?.code ?? 'refused') : null),
        errorCode: r.outboxStatus === 'failed' ? (error?.code ?? null) : null,
        messageId: r.outboxId,
        queuedAt: r.queuedAt,
        sentAt: r.sentAt,
        deliveredAt: r.deliveredAt,
        readAt: r.readAt,
        repliedAt: r.repliedAt,
      };
    });
    return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.waId : null };
  }
}

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
export type WaitingReason = 'messaging_limit' | 'local_hours' | 'scheduled';
export type { CampaignCounts };
