import { t } from '../../i18n';
import type { CompareTarget, VersionItem } from './useVersions';

interface Props {
  items: VersionItem[];
  from: number | null;
  to: CompareTarget;
  /** Offer the editor's unsaved document as the newer side. */
  canPickEditor: boolean;
  onChange(next: { from: number | null; to: CompareTarget }): void;
}

const EDITOR = 'editor';

/** "Compare version [a] to [b]": any two versions, or a version and the unsaved edits. */
export function ComparePicker({ items, from, to, canPickEditor, onChange }: Props) {
  const options = items.map((item) => (
    <option key={item.version} value={item.version}>
      {t('history.version', { n: item.version })}
    </option>
  ));
  return (
    <div className="sb-compare">
      <span>{t('history.compare')}</span>
      <select
        aria-label={t('history.from')}
        value={from ?? ''}
        onChange={(e) => onChange({ from: Number(e.target.value), to })}
        data-testid="history-compare-from"
      >
        {from === null ? <option value="" /> : null}
        {options}
      </select>
      <span>{t('history.to')}</span>
      <select
        aria-label={t('history.to')}
        value={String(to)}
        onChange={(e) => onChange({ from, to: e.target.value === EDITOR ? EDITOR : Number(e.target.value) })}
        data-testid="history-compare-to"
      >
        {canPickEditor ? <option value={EDITOR}>{t('history.unsavedEdits')}</option> : null}
        {options}
      </select>
    </div>
  );
}
