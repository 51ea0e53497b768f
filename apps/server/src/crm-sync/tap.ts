import type { CrmSyncSettingRow, OutboxRow, Repositories, StoredEvent } from '@switchboard/db';
import type { NormalizedEvent } from '@switchboard/whatsapp';
import { inboundPreview, outboundPreview } from '../inbox/timeline.js';

/** How long the channels' settings are trusted before they are read again (other processes). */
const SETTINGS_CACHE_MS = 2_000;

/** Outbox kinds that are not messages on the timeline. */
const NOT_MESSAGES = new Set(['markRead', 'reaction']);

/**
 * Turns the dispatcher's WhatsApp events into sync records, inside its transaction (they commit or roll
 * back with the event): an inbound message when it is received, one of ours at its first status from
 * Meta (it really left). The records' unique key (channel, message id) makes a repeated webhook, or the
 * next status of the same message, add nothing. Settings are cached for 2 s; this process's own changes
 * clear the cache at once.
 */
export class CrmSyncTap {
  private cache: { at: number; byChannel: Map<string, CrmSyncSettingRow> } | undefined;

  constructor(
    private readonly repos: Pick<Repositories, 'crmSync'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  forget(): void {
    this.cache = undefined;
  }

  private async setting(channel: string): Promise<CrmSyncSettingRow | undefined> {
    const at = this.now().getTime();
    if (!this.cache || at - this.cache.at > SETTINGS_CACHE_MS) {
      const byChannel = new Map((await this.repos.crmSync.settings()).map((s) => [s.channel, s]));
      this.cache = { at, byChannel };
    }
    const s = this.cache.byChannel.get(channel);
    return s?.enabled ? s : undefined;
  }

  /** Records an inbound message of a channel that syncs; true when a record was added. */
  async inboundIn(r: Pick<Repositories, 'crmSync'>, stored: StoredEvent, channel: string): Promise<boolean> {
    const event = stored.normalized as NormalizedEvent;
    if (event.type !== 'message.received' || !event.waId) return false;
    const s = await this.setting(channel);
    if (!s) return false;
    return r.crmSync.enqueue({
      channel,
      messageId: event.messageId,
      direction: 'in',
      waId: event.waId,
      name: event.profileName ?? null,
      text: event.message.type === 'text' ? event.message.text : inboundPreview(event.message as never),
      messageAt: event.timestamp,
      provider: s.provider,
      at: this.now().toISOString(),
    });
  }

  /** Records one of our messages (by outbox id) once Meta reported on it; true when a record was added. */
  async outboundIn(r: Pick<Repositories, 'crmSync'>, row: OutboxRow, statusAt: string): Promise<boolean> {
    if (NOT_MESSAGES.has(row.kind)) return false;
    const s = await this.setting(row.channel);
    if (!s) return false;
    return r.crmSync.enqueue({
      channel: row.channel,
      messageId: row.id,
      direction: 'out',
      waId: row.recipient,
      name: null,
      text: fullText(row.payload),
      messageAt: statusAt,
      provider: s.provider,
      at: this.now().toISOString(),
    });
  }
}

/** A text message in full (the timeline keeps what was said); other kinds as the inbox previews them. */
function fullText(payload: unknown): string {
  const p = payload as { type?: string; text?: unknown };
  return p?.type === 'text' && typeof p.text === 'string' ? p.text : outboundPreview(p as never);
}
