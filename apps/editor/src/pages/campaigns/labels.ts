import { t } from '../../i18n';
import { SKIP_REASONS, WAIT_REASONS } from './model';
import type { Campaign } from './types';

/** A skip reason in words (es/en); a reason this editor does not know shows as the server sent it. */
export function skipReasonLabel(reason: string): string {
  return (SKIP_REASONS as readonly string[]).includes(reason) ? t(`campaigns.skip.${reason}`) : reason;
}

/** Why a campaign is not sending right now, with until when (in the browser's time zone). */
export function waitingLabel(waiting: NonNullable<Campaign['waiting']>): string {
  const reason = (WAIT_REASONS as readonly string[]).includes(waiting.reason)
    ? t(`campaigns.wait.${waiting.reason}`)
    : waiting.reason;
  return waiting.until
    ? t('campaigns.wait.until', { reason, until: new Date(waiting.until).toLocaleString() })
    : reason;
}
