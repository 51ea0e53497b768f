import { useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { type Run, ShownOnce } from '../people/parts';
import { EVENT_TYPES } from './types';

/** New subscription: URL, event types, description; the secret the server made is shown once. */
export function SubscriptionForm({ run, onCreated }: { run: Run; onCreated(): Promise<void> }) {
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>(['message.received']);
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [missing, setMissing] = useState<'url' | 'types' | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (type: string) =>
    setTypes((now) => (now.includes(type) ? now.filter((x) => x !== type) : [...now, type]));

  const create = async () => {
    if (!url.trim()) return setMissing('url');
    if (types.length === 0) return setMissing('types');
    setMissing(null);
    setBusy(true);
    const ok = await run(async () => {
      const created = await api.post<{ secret: string }>('/api/subscriptions', {
        url: url.trim(),
        eventTypes: types,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setSecret(created.secret);
      return null;
    });
    if (ok) {
      setUrl('');
      setDescription('');
      setTypes(['message.received']);
      await onCreated();
    }
    setBusy(false);
  };

  return (
    <>
      <form
        className="sb-int-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://hooks.example.com/switchboard"
          aria-label={t('int.url')}
          aria-invalid={missing === 'url' || undefined}
          data-testid="sub-url"
        />
        <input
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder={t('int.description')}
          aria-label={t('int.description')}
          maxLength={500}
          data-testid="sub-description"
        />
        <fieldset className="sb-int-types" aria-invalid={missing === 'types' || undefined}>
          <legend>{t('int.eventTypes')}</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={() => toggle(type)}
                data-testid={`sub-type-${type}`}
              />{' '}
              {t(`int.event.${type}`)} <code>{type}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="sb-primary" disabled={busy} data-testid="sub-create">
          {t('int.subscribe')}
        </button>
      </form>
      {missing ? (
        <p className="sb-error" data-testid="sub-missing">
          {t(missing === 'url' ? 'int.urlRequired' : 'int.typesRequired')}
        </p>
      ) : null}
      {secret ? (
        <ShownOnce
          value={secret}
          warning={t('int.secretShownOnce')}
          testId="sub-secret"
          onDone={() => setSecret(null)}
        />
      ) : null}
    </>
  );
}
