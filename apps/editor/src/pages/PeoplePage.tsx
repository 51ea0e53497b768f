import { useCallback, useState } from 'react';
import { t } from '../i18n';
import { navigate } from '../router';
import { errorNotice, type Notice } from '../store/editor';
import { ApiKeysSection } from './people/ApiKeysSection';
import { InvitationsSection } from './people/InvitationsSection';
import { UsersSection } from './people/UsersSection';
import '../auth/auth.css';

/** Owners and admins: who has an account and with which role, invitation links, and API keys. */
export function PeoplePage() {
  const [notice, setNotice] = useState<Notice | null>(null);
  /** Runs an action; its notice (or its refusal) replaces the last one. Resolves to whether it worked. */
  const run = useCallback(async (action: () => Promise<Notice | null>): Promise<boolean> => {
    try {
      const done = await action();
      setNotice(done);
      return true;
    } catch (error) {
      setNotice(errorNotice(error));
      return false;
    }
  }, []);
  return (
    <div className="sb-page sb-people" data-testid="people-page">
      <header className="sb-page-head">
        <button type="button" className="sb-link" onClick={() => navigate('/')} data-testid="people-back">
          ← {t('editor.flows')}
        </button>
        <h1>{t('people.title')}</h1>
      </header>
      {notice ? (
        <div
          className={`sb-notice is-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="people-notice"
        >
          <span>{notice.text}</span>
          <button type="button" className="sb-link" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      <UsersSection run={run} />
      <InvitationsSection run={run} />
      <ApiKeysSection run={run} />
    </div>
  );
}
