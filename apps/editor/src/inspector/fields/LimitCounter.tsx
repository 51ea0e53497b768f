import { t } from '../../i18n';
import type { Limit } from '../model/limits';

/** `n / max`, amber near WhatsApp's limit and red over it. */
export function LimitCounter({ limit, testId }: { limit: Limit; testId: string }) {
  const title = limit.approximate ? t('limit.approximate') : undefined;
  return (
    <span className={`sbf-counter is-${limit.state}`} title={title} data-testid={testId} aria-live="polite">
      {limit.approximate ? '≈ ' : ''}
      {limit.count} / {limit.max}
    </span>
  );
}
