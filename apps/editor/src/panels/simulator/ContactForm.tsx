import { useState } from 'react';
import { t } from '../../i18n';
import type { ContactBody } from './api';
import { browserTimeZone } from './clock';
import { type ContactDraft, contactBody, type DraftField } from './contact-draft';

/** Common zones first; any IANA zone can be typed. */
export const TIME_ZONES = [
  'Europe/Madrid',
  'America/Mexico_City',
  'America/Bogota',
  'America/Argentina/Buenos_Aires',
  'America/Santiago',
  'America/Lima',
  'America/New_York',
  'Europe/London',
  'UTC',
];

/**
 * The test contact: number, name, country, tier, marketing opt-in, how long ago they last wrote (the
 * 24-hour window), time zone and attributes. Saving checks every field and says which is wrong.
 */
export function ContactForm({
  initial,
  saving,
  onSave,
  onCancel,
}: {
  initial: ContactDraft;
  saving: boolean;
  onSave: (waId: string, body: ContactBody) => void;
  onCancel: (() => void) | null;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<DraftField, string>>>({});
  const set = <K extends DraftField>(field: K, value: ContactDraft[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));

  const submit = () => {
    const check = contactBody(draft);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    onSave(check.waId, check.body);
  };

  const text = (
    field: Exclude<DraftField, 'optedIn'>,
    label: string,
    extra: { placeholder?: string; list?: string } = {},
  ) => (
    <label className="sim-field">
      <span>{label}</span>
      <input
        value={draft[field]}
        onChange={(e) => set(field, e.target.value)}
        aria-invalid={errors[field] ? true : undefined}
        data-testid={`sim-contact-${field}`}
        {...extra}
      />
      {errors[field] ? <small className="sb-error">{t(errors[field])}</small> : null}
    </label>
  );

  return (
    <form
      className="sim-contact-form"
      data-testid="sim-contact-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="sim-grid">
        {text('waId', t('sim.contact.waId'), { placeholder: '34600000001' })}
        {text('name', t('sim.contact.name'))}
        {text('country', t('sim.contact.country'), { placeholder: 'ES' })}
        {text('tier', t('sim.contact.tier'), { placeholder: t('sim.contact.tierPlaceholder') })}
        {text('lastMessageHoursAgo', t('sim.contact.lastMessage'), { placeholder: '—' })}
        {text('timezone', t('sim.contact.timezone'), {
          placeholder: browserTimeZone(),
          list: 'sim-time-zones',
        })}
      </div>
      <p className="sb-muted sim-help">{t('sim.contact.lastMessageHelp')}</p>
      <label className="sim-check">
        <input
          type="checkbox"
          checked={draft.optedIn}
          onChange={(e) => set('optedIn', e.target.checked)}
          data-testid="sim-contact-optedIn"
        />
        {t('sim.contact.optedIn')}
      </label>
      <label className="sim-field">
        <span>{t('sim.contact.attributes')}</span>
        <textarea
          rows={2}
          value={draft.attributes}
          placeholder='{"plan": "gold"}'
          onChange={(e) => set('attributes', e.target.value)}
          data-testid="sim-contact-attributes"
        />
        {errors.attributes ? <small className="sb-error">{t(errors.attributes)}</small> : null}
      </label>
      <datalist id="sim-time-zones">
        {TIME_ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <div className="sim-row">
        <button type="submit" className="sb-primary" disabled={saving} data-testid="sim-contact-save">
          {saving ? t('sim.contact.saving') : t('sim.contact.save')}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('sim.contact.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
