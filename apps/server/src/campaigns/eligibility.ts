import type { Contact } from '@switchboard/db';
import { checkSendPolicy } from '@switchboard/whatsapp';
import { messageFor, type StoredCampaignTemplate } from './template.js';

/**
 * Why a contact gets no campaign message (`opted_out`, `not_opted_in`, `blocked_region`,
 * `missing_parameter`), or null. The same policy every send passes, read before sending so skips are
 * counted with their reason instead of becoming refused messages.
 */
export function skipReason(
  contact: Contact,
  template: Pick<StoredCampaignTemplate, 'category'> & Partial<StoredCampaignTemplate>,
  blockedPrefixes: readonly string[],
  now: Date,
): string | null {
  const refusal = checkSendPolicy({
    contact: { waId: contact.waId, lastInboundAt: contact.lastInboundAt, consent: contact.consent },
    message: { type: 'template', category: template.category },
    now,
    blockedPrefixes,
  });
  if (refusal) return refusal.reason;
  if (template.name !== undefined && !messageFor(template as StoredCampaignTemplate, contact))
    return 'missing_parameter';
  return null;
}
