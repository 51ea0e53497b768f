import type { Repositories } from '@switchboard/db';
import type { ChannelService } from '../channels.js';

// Meta's messaging limit: how many unique users a business portfolio may reach with business-initiated
// messages in a rolling 24 hours. Counted per WhatsApp Business Account (channels sharing a WABA id;
// a channel without one alone) as the distinct recipients of template messages that reached Meta (not
// refused, not failed before Meta took them). This over-counts templates sent inside a contact's open
// customer-service window (Meta does not count those), which only makes campaigns more careful.

export const MESSAGING_TIERS = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;
export type MessagingTier = (typeof MESSAGING_TIERS)[number];
const LIMITS: Record<MessagingTier, number | null> = {
  TIER_250: 250,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
};
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface MessagingLimitView {
  tier: MessagingTier;
  usedLast24h: number;
  /** Unique users that may still be reached now (null: unlimited). */
  available: number | null;
  /** When the oldest counted message leaves the window (null: none counted). */
  freesAt: string | null;
}

/** The channels whose sends share `channelId`'s limit. */
export function limitScope(channels: Pick<ChannelService, 'all'>, channelId: string): string[] {
  const waba = channels.all().find((c) => c.id === channelId)?.wabaId ?? null;
  if (!waba) return [channelId];
  return channels
    .all()
    .filter((c) => c.wabaId === waba)
    .map((c) => c.id);
}

export async function messagingLimit(
  deps: {
    repos: Pick<Repositories, 'campaigns'>;
    channels: Pick<ChannelService, 'all'>;
    tier: MessagingTier;
  },
  channelId: string,
  now: Date,
): Promise<MessagingLimitView> {
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const used = await deps.repos.campaigns.templateRecipientsSince(
    limitScope(deps.channels, channelId),
    since,
  );
  const limit = LIMITS[deps.tier];
  return {
    tier: deps.tier,
    usedLast24h: used.count,
    available: limit === null ? null : Math.max(0, limit - used.count),
    freesAt: used.oldest ? new Date(Date.parse(used.oldest) + DAY_MS).toISOString() : null,
  };
}
