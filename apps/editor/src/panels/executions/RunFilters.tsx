import { RunStatus } from '@switchboard/flow-schema';
import { useEffect, useState } from 'react';
import { t } from '../../i18n';

export interface FilterState {
  status: RunStatus | '';
  contact: string;
  /** datetime-local values, in the browser's zone. */
  from: string;
  to: string;
  allFlows: boolean;
}

export const NO_FILTER: FilterState = { status: '', contact: '', from: '', to: '', allFlows: false };

/** Status, contact and time range; the contact box applies after a pause in typing. */
export function RunFilters({ value, onChange }: { value: FilterState; onChange: (f: FilterState) => void }) {
  const [contact, setContact] = useState(value.contact);
  useEffect(() => {
    if (contact.trim() === value.contact) return;
    const timer = setTimeout(() => onChange({ ...value, contact: contact.trim() }), 400);
    return () => clearTimeout(timer);
  }, [contact, value, onChange]);

  return (
    <div className="sb-exec-filters">
      <label>
        <span>{t('exec.filter.status')}</span>
        <select
          value={value.status}
          onChange={(e) => onChange({ ...value, status: e.target.value as RunStatus | '' })}
          data-testid="execution-filter-status"
        >
          <option value="">{t('exec.filter.anyStatus')}</option>
          {RunStatus.options.map((s) => (
            <option key={s} value={s}>
              {t(`exec.status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('exec.filter.contact')}</span>
        <input
          value={contact}
          placeholder={t('exec.filter.contactPlaceholder')}
          onChange={(e) => setContact(e.target.value)}
          data-testid="execution-filter-contact"
        />
      </label>
      <label>
        <span>{t('exec.filter.from')}</span>
        <input
          type="datetime-local"
          value={value.from}
          onChange={(e) => onChange({ ...value, from: e.target.value })}
          data-testid="execution-filter-from"
        />
      </label>
      <label>
        <span>{t('exec.filter.to')}</span>
        <input
          type="datetime-local"
          value={value.to}
          onChange={(e) => onChange({ ...value, to: e.target.value })}
          data-testid="execution-filter-to"
        />
      </label>
      <label className="sb-exec-check">
        <input
          type="checkbox"
          checked={value.allFlows}
          onChange={(e) => onChange({ ...value, allFlows: e.target.checked })}
          data-testid="execution-filter-all-flows"
        />
        {t('exec.filter.allFlows')}
      </label>
    </div>
  );
}
