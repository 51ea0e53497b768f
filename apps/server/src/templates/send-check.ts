import type { Repositories } from '@switchboard/db';
import { checkTemplateSend, type OutboundMessageOf, type TemplateSendCheck } from '@switchboard/whatsapp';
import { asMessageTemplate } from './service.js';

/**
 * Checks a template send against the channel's synced templates: unknown, not approved (pending,
 * rejected, paused, disabled) or with the wrong parameters, it is refused before it reaches Meta. A
 * channel whose templates were never synced (no account id in live mode, or Meta unreachable since the
 * start) is not checked: sends go to Meta as they did before templates were synced, and Meta decides.
 */
export async function checkTemplate(
  repos: Pick<Repositories, 'templates'>,
  channelId: string,
  message: OutboundMessageOf<'template'>,
): Promise<TemplateSendCheck | null> {
  const state = await repos.templates.syncState(channelId);
  if (!state?.syncedAt) return null;
  const rows = await repos.templates.list({ channelId, search: message.name });
  return checkTemplateSend(rows.filter((r) => r.name === message.name).map(asMessageTemplate), message);
}
