import type { Lookup } from '../../api/lookups';
import { t } from '../../i18n';

/** "Reload list" beside a picker's label: for a credential or team created through the API meanwhile. */
export function LookupReload({ lookup, testId }: { lookup: Lookup<unknown>; testId: string }) {
  return (
    <button
      type="button"
      className="sbf-link"
      onClick={lookup.reload}
      disabled={lookup.loading}
      title={t('lookup.reloadTitle')}
      data-testid={testId}
    >
      {lookup.loading ? t('lookup.loading') : t('lookup.reload')}
    </button>
  );
}
