import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { t } from '../../i18n';
import { previewText, type TemplateValues, templateFields } from '../../templates/slots';
import { TemplateBadges } from './TemplateBadges';
import './templates.css';
import { listTemplates } from './templates-api';
import type { TemplateRecord } from './types';

export interface TemplateChooserProps {
  /** Only this channel's templates; every channel's when absent. */
  channelId?: string;
  /** Leaves out templates the caller cannot use (a campaign cannot fill URL buttons, say). */
  accept?(template: TemplateRecord): boolean;
  onPick(template: TemplateRecord): void;
}

/** Searches the APPROVED templates by name (with language and category badges); a click picks one. */
export function TemplateChooser({ channelId, accept, onPick }: TemplateChooserProps) {
  const [all, setAll] = useState<TemplateRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    listTemplates({ status: 'APPROVED', ...(channelId ? { channelId } : {}) })
      .then((r) => setAll(r.items))
      .catch((e: Error) => setError(e.message));
  }, [channelId]);

  const matches = useMemo(
    () =>
      (all ?? [])
        .filter((x) => (accept ? accept(x) : true))
        .filter((x) => x.name.includes(query.trim().toLowerCase()))
        .slice(0, 8),
    [all, query, accept],
  );

  return (
    <>
      {error ? <p className="sb-error">{error}</p> : null}
      <input
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t('picker.search')}
        aria-label={t('picker.search')}
        data-testid="template-search"
      />
      {all === null && !error ? <p className="sb-muted">{t('picker.loading')}</p> : null}
      {all && matches.length === 0 ? <p className="sb-muted">{t('picker.none')}</p> : null}
      <ul className="sb-template-matches">
        {matches.map((x) => (
          <li key={x.id}>
            <button
              type="button"
              className="sb-link"
              onClick={() => onPick(x)}
              data-testid={`template-option-${x.name}-${x.language}`}
            >
              {x.name}
            </button>{' '}
            <TemplateBadges template={x} />
          </li>
        ))}
      </ul>
    </>
  );
}

export interface TemplateParamFieldsProps {
  template: TemplateRecord;
  values: TemplateValues;
  onChange(values: TemplateValues): void;
  /** Leaves the picked template (back to the search). */
  onChangeTemplate(): void;
  /** Shown under each field (a campaign lists the contact placeholders), or a problem for it. */
  note?(key: string): ReactNode;
  /** Only the header and body fields (a campaign sends no URL button values). */
  textOnly?: boolean;
}

/** The picked template: its name and badges, its text filled with the values, one input per parameter. */
export function TemplateParamFields({
  template,
  values,
  onChange,
  onChangeTemplate,
  note,
  textOnly,
}: TemplateParamFieldsProps) {
  const fields = templateFields(template.parameters).filter((f) => !textOnly || f.where !== 'button');
  // When fields come from more than one part (a header and a body with {{first_name}} each), say where.
  const placed = new Set(fields.map((f) => f.where)).size > 1;
  return (
    <>
      <div className="sb-template-picked" data-testid="template-picked" data-name={template.name}>
        <strong>{template.name}</strong> <TemplateBadges template={template} />
        <button type="button" className="sb-link" onClick={onChangeTemplate} data-testid="template-change">
          {t('picker.change')}
        </button>
      </div>
      <pre className="sb-template-preview" data-testid="template-preview">
        {previewText(template, values)}
      </pre>
      {fields.map((f) => (
        <label key={f.key} className="sb-template-param">
          {t(placed ? `picker.paramIn.${f.where}` : 'picker.param', { label: f.label })}
          <input
            value={values[f.key] ?? ''}
            onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
            data-testid={`template-value-${f.key}`}
          />
          {note ? note(f.key) : null}
        </label>
      ))}
    </>
  );
}
