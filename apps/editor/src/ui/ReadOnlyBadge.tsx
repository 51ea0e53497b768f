import { t } from '../i18n';

/** Shown instead of the editing buttons to roles that may only look (viewers). */
export function ReadOnlyBadge() {
  return (
    <span className="sb-badge is-warn" title={t('auth.readOnlyHelp')} data-testid="read-only">
      {t('auth.readOnly')}
    </span>
  );
}
