import type { Conversation } from '@switchboard/db';
import type { Response } from 'express';
import { type InboxScope, principalOf } from '../routes/inbox-scope.js';
import type { Author } from '../routing/index.js';
import type { Runtime } from '../runtime.js';
import { inboundPreview, outboundPreview, windowOf } from './timeline.js';

/** The contact as the inbox shows it next to a conversation. */
export async function contactDetails(
  rt: Pick<Runtime, 'contacts'>,
  channel: string,
  waId: string,
  now: Date = new Date(),
) {
  const contact = await rt.contacts.get(waId, channel);
  const tier = contact?.attributes.tier;
  return {
    contact: contact
      ? {
          waId: contact.waId,
          channel: contact.channel,
          name: contact.name,
          phone: contact.phone,
          country: contact.country,
          tier: typeof tier === 'string' || typeof tier === 'number' ? String(tier) : null,
          attributes: contact.attributes,
          tags: contact.tags,
          consent: contact.consent,
          lastInboundAt: contact.lastInboundAt,
        }
      : null,
    /** The 24-hour customer-service window: free text is allowed while open, templates always. */
    window: windowOf(contact?.lastInboundAt ?? null, now),
  };
}

/**
 * What the inbox list shows besides the conversation: the customer's name, number and tier, and the
 * last message either way (a few indexed reads per row; lists are at most 500).
 */
export async function listDetails(rt: Pick<Runtime, 'contacts' | 'routing'>, c: Conversation) {
  const [contact, slice] = await Promise.all([
    rt.contacts.get(c.waId, c.channel),
    // No teams: history is not wanted here, only the newest message each way.
    rt.routing.conversations.timeline({ channel: c.channel, waId: c.waId, teamIds: [], limit: 1 }),
  ]);
  const inbound = slice.inbound[0];
  const outbound = slice.outbound[0];
  const tier = contact?.attributes.tier;
  const last =
    inbound && (!outbound || inbound.receivedAt >= outbound.createdAt)
      ? {
          direction: 'in' as const,
          at: inbound.receivedAt,
          preview: inboundPreview(
            ((inbound.normalized as { message?: { type: string } }).message ?? { type: 'message' }) as never,
          ),
        }
      : outbound
        ? {
            direction: 'out' as const,
            at: outbound.createdAt,
            preview: outboundPreview(outbound.payload as never),
          }
        : null;
  return {
    contact: {
      name: contact?.name ?? c.contactName,
      phone: contact?.phone ?? `+${c.waId}`,
      tier: typeof tier === 'string' || typeof tier === 'number' ? String(tier) : null,
    },
    lastMessage: last,
  };
}

/** Who is acting, for history rows: the user's name (else the key's label) and their agent. */
export async function authorOf(
  rt: Pick<Runtime, 'database' | 'routing'>,
  res: Response,
  scope: InboxScope | null,
): Promise<Author> {
  const principal = principalOf(res);
  const userId = principal?.userId ?? null;
  const user = userId ? await rt.database.repos.users.getUser(userId) : undefined;
  const agent = scope?.agent ?? (userId ? await rt.routing.teams.agentOfUser(userId) : undefined);
  return {
    userId,
    name: user?.name ?? principal?.label ?? 'API key',
    agentId: agent?.id ?? null,
  };
}
