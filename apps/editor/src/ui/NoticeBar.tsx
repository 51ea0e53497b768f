import { t } from '../i18n';
import { useEditor } from '../store/editor';

/** The last result or refusal, with problems by path when there are some. */
export function NoticeBar() {
  const notice = useEditor((s) => s.notice);
  const notify = useEditor((s) => s.notify);
  if (!notice) return null;
  return (
    <div
      className={`sb-notice is-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
    >
      <span>{notice.text}</span>
      {notice.problems && notice.problems.length > 0 ? (
        <ul>
          {notice.problems.slice(0, 20).map((p) => (
            <li key={`${p.path}|${p.message}`}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="sb-link" onClick={() => notify(null)} aria-label={t('common.dismiss')}>
        ×
      </button>
    </div>
  );
}
