import { useCan } from '../../auth/session';
import { t, useLang } from '../../i18n';
import { absoluteTime, relativeTime } from './format';
import type { VersionItem } from './useVersions';

interface Props {
  items: VersionItem[];
  current: number;
  selected: number | null;
  restoring: number | null;
  onSelect(version: number): void;
  onRestore(version: number): void;
}

/** The versions, newest first: pick one to compare it with the current version, or restore it. */
export function VersionList({ items, current, selected, restoring, onSelect, onRestore }: Props) {
  const lang = useLang();
  const editable = useCan('editFlows');
  const now = Date.now();
  return (
    <ul className="sb-versions">
      {items.map((item) => (
        <li
          key={item.version}
          className={item.version === selected ? 'is-selected' : ''}
          data-testid={`history-version-${item.version}`}
        >
          <button
            type="button"
            className="sb-version-pick"
            aria-pressed={item.version === selected}
            onClick={() => onSelect(item.version)}
          >
            <strong>{t('history.version', { n: item.version })}</strong>
            {item.version === current ? <span className="sb-badge is-on">{t('history.current')}</span> : null}
            {item.valid === false ? <span className="sb-badge is-warn">{t('flow.draft')}</span> : null}
            <time className="sb-muted" dateTime={item.createdAt}>
              {relativeTime(item.createdAt, now, lang)} · {absoluteTime(item.createdAt, lang)}
            </time>
          </button>
          {item.version !== current && editable ? (
            <button
              type="button"
              className="sb-version-restore"
              disabled={restoring !== null}
              onClick={() => onRestore(item.version)}
              data-testid={`history-restore-${item.version}`}
            >
              {restoring === item.version ? t('history.restoring') : t('history.restore')}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
