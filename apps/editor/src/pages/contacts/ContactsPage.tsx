import { useCallback, useState } from 'react';
import { t } from '../../i18n';
import { errorNotice, type Notice } from '../../store/editor';
import { downloadCsv } from './download';
import { ImportSection } from './ImportSection';
import { SegmentsSection } from './SegmentsSection';
import '../../auth/auth.css';
import '../integrations/integrations.css';

/** Owners, admins and builders: contacts CSV import and export, saved segments (docs/contacts.md). */
export function ContactsPage() {
  const [notice, setNotice] = useState<Notice | null>(null);
  // Bumped after an import, so segment counts are read again.
  const [refresh, setRefresh] = useState(0);
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
    <div className="sb-page sb-people sb-integrations" data-testid="contacts-page">
      <header className="sb-page-head">
        <h1>{t('contacts.title')}</h1>
      </header>
      {notice ? (
        <div
          className={`sb-notice is-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="contacts-notice"
        >
          <span>{notice.text}</span>
          {notice.problems?.length ? (
            <ul>
              {notice.problems.map((p) => (
                <li key={`${p.path}-${p.message}`}>
                  {p.path}: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
          <button type="button" className="sb-link" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      <ImportSection onImported={() => setRefresh((n) => n + 1)} />
      <section className="sb-section" data-testid="contacts-export">
        <h2>{t('contacts.export')}</h2>
        <button
          type="button"
          onClick={() =>
            run(async () => {
              await downloadCsv(
                '/api/contacts/export.csv',
                `contacts-${new Date().toISOString().slice(0, 10)}.csv`,
              );
              return null;
            })
          }
          data-testid="export-all"
        >
          {t('contacts.exportAll')}
        </button>
      </section>
      <SegmentsSection run={run} refresh={refresh} />
    </div>
  );
}
