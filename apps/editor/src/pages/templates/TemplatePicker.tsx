import { useEffect, useMemo, useState } from 'react';
import { t } from '../../i18n';
import { previewText, type TemplateValues, templateFields } from '../../templates/slots';
import { missingValues, templateSend } from './model';
import { TemplateBadges } from './TemplateBadges';
import './templates.css';
import { listTemplates } from './templates-api';
import type { TemplateRecord } from './types';

export interface TemplatePickerProps {
  /** Only this channel's templates (the conversation's); every channel's when absent. */
  channelId?: string;
  /** Sends the built template message; resolves true when it went (the picker then clears). */
  onSend(message: ReturnType<typeof templateSend>): Promise<boolean>;
  disabled?: boolean;
}

/**
 * Picks an approved template by name (showing its language and category), asks for each of its
 * parameters (header, body, URL buttons) with a preview, and says which are still empty before sending.
 */
export function TemplatePicker({ channelId, onSend, disabled }: TemplatePickerProps) {
  const [all, setAll] = useState<TemplateRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<TemplateRecord | null>(null);
  const [values, setValues] = useState<TemplateValues>({});
  const [missing, setMissing] = useState<string[]>([]);

  useEffect(() => {
    listTemplates({ status: 'APPROVED', ...(channelId ? { channelId } : {}) })
      .then((r) => setAll(r.items))
      .catch((e: Error) => setError(e.message));
  }, [channelId]);

  const matches = useMemo(
    () => (all ?? []).filter((x) => x.name.includes(query.trim().toLowerCase())).slice(0, 8),
    [all, query],
  );

  const send = async () => {
    if (!picked) return;
    const empty = missingValues(picked.parameters, values);
    setMissing(empty);
    if (empty.length) return;
    if (await onSend(templateSend(picked, values))) {
      setPicked(null);
      setValues({});
    }
  };

  return (
    <div className="sb-template-picker" data-testid="template-picker">
      {error ? <p className="sb-error">{error}</p> : null}
      {!picked ? (
        <>
          <input
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t('picker.search')}
            aria-label={t('picker.search')}
            data-testid="template-search"
          />
          {all === null ? <p className="sb-muted">{t('picker.loading')}</p> : null}
          {all && matches.length === 0 ? <p className="sb-muted">{t('picker.none')}</p> : null}
          <ul className="sb-template-matches">
            {matches.map((x) => (
              <li key={x.id}>
                <button
                  type="button"
                  className="sb-link"
                  onClick={() => {
                    setPicked(x);
                    setValues({});
                    setMissing([]);
                  }}
                  data-testid={`template-option-${x.name}-${x.language}`}
                >
                  {x.name}
                </button>{' '}
                <TemplateBadges template={x} />
              </li>
            ))}
          </ul>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
          data-testid="template-form"
        >
          <div className="sb-template-picked">
            <strong>{picked.name}</strong> <TemplateBadges template={picked} />
            <button type="button" className="sb-link" onClick={() => setPicked(null)}>
              {t('picker.change')}
            </button>
          </div>
          <pre className="sb-template-preview" data-testid="template-preview">
            {previewText(picked, values)}
          </pre>
          {templateFields(picked.parameters).map((f) => (
            <label key={f.key} className="sb-template-param">
              {t('picker.param', { label: f.label })}
              <input
                value={values[f.key] ?? ''}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                data-testid={`template-value-${f.key}`}
              />
            </label>
          ))}
          {missing.length ? (
            <p className="sb-error" data-testid="template-missing">
              {t('picker.missing', { fields: missing.join(', ') })}
            </p>
          ) : null}
          <button type="submit" className="sb-primary" disabled={disabled} data-testid="template-send">
            {t('picker.send')}
          </button>
        </form>
      )}
    </div>
  );
}
