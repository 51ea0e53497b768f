import { useCallback, useState } from 'react';
import { t } from '../../i18n';
import { errorNotice, type Notice } from '../../store/editor';
import { CrmSyncSection } from './CrmSyncSection';
import { SubscriptionsSection } from './SubscriptionsSection';
import '../../auth/auth.css';
import './integrations.css';

/** Owners and admins: outgoing event subscriptions and CRM timeline sync (docs/integrations.md). */
export function IntegrationsPage() {
  const [notice, setNotice] = useState<Notice | null>(null);
  /** Runs an action; its notice (or its refusal) replaces the last one. Resolves to whether it worked. */
  const run = useCallback(async (action: () => Promise<Notice | null>): Promise<boolean> => {
    try {
      const done = await action();
      if (done) setNotice(done);
      return true;
    } catch (error) {
      setNotice(errorNotice(error));
      return false;
    }
  }, []);
  return (
    <div className="sb-page sb-people sb-integrations" data-testid="integrations-page">
      <header className="sb-page-head">
        <h1>{t('int.title')}</h1>
      </header>
      {notice ? (
        <div
          className={`sb-notice is-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="int-notice"
        >
          <span>{notice.text}</span>
          <button type="button" className="sb-link" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      <SubscriptionsSection run={run} />
      <CrmSyncSection run={run} />
    </div>
  );
}
