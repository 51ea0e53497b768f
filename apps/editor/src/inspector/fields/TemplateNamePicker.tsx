import { type ReactNode, useId, useMemo } from 'react';
import { t } from '../../i18n';
import { nodePreviewValues } from '../../templates/node-params';
import { previewText } from '../../templates/slots';
import { useForm } from '../form-context';
import { pathKey } from '../model/paths';
import { templateSuggestions } from '../model/pickers';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { LookupReload } from './LookupReload';
import { useNodeTemplate } from './node-template';
import { VariableInput } from './VariableInput';

/**
 * A template node's `name`: a list of the approved templates of the node's channel (picking one sets
 * the name, language and category), a text box that also takes an expression, and a line saying what
 * the server will say of the send: the template's category and parameters, or that it is unknown here,
 * missing in that language, not approved, or given another number of body parameters than it takes.
 * Under it, the template's text with the node's values filled in. Typing never changes other fields.
 */
export function TemplateNamePicker({
  model,
  path,
  value,
  required,
  renderDefault,
}: FieldProps & { renderDefault: () => ReactNode }) {
  const form = useForm();
  const id = useId();
  const { lookup, around, approved, match, headerParams, bodyParams } = useNodeTemplate(path);
  const suggestions = useMemo(() => templateSuggestions(approved), [approved]);
  if (model.kind !== 'text') return <>{renderDefault()}</>;
  const key = pathKey(path);
  const text = typeof value === 'string' ? value : '';
  const language = typeof around.language === 'string' ? around.language : '';
  const sibling = (name: string) => [...path.slice(0, -1), name];
  const choose = (choice: string) => {
    const picked = approved.find((x) => `${x.name}/${x.language}` === choice);
    if (!picked) return;
    form.set(path, picked.name);
    form.set(sibling('language'), picked.language);
    form.set(sibling('category'), picked.category.toLowerCase());
  };
  const chosen = match.state === 'ok' || match.state === 'params' ? match.template : null;
  return (
    <FieldShell
      model={model}
      path={path}
      required={required}
      htmlFor={id}
      aside={<LookupReload lookup={lookup} testId={`param-${key}-reload`} />}
    >
      {approved.length > 0 ? (
        <select
          className="sbf-template-choose"
          aria-label={t('templateField.choose')}
          value={chosen ? `${chosen.name}/${chosen.language}` : ''}
          onChange={(e) => choose(e.target.value)}
          data-testid={`param-${key}-choose`}
        >
          <option value="">{t('templateField.choosePlaceholder')}</option>
          {approved.map((x) => (
            <option key={`${x.name}/${x.language}`} value={`${x.name}/${x.language}`}>
              {x.name} · {x.language} · {t(`templates.category.${x.category}`)}
            </option>
          ))}
        </select>
      ) : null}
      <VariableInput
        id={id}
        value={text}
        onChange={(next) => form.set(path, next === '' ? undefined : next)}
        testId={`param-${key}`}
        invalid={
          form.problemsAt(key).length > 0 || !['ok', 'empty', 'variable', 'unchecked'].includes(match.state)
        }
        suggestions={suggestions}
      />
      {match.state === 'ok' ? (
        <p className="sbf-help" data-testid={`param-${key}-template`}>
          {t('templateField.ok', {
            category: t(`templates.category.${match.template.category}`),
            count: match.template.parameters.body.length,
          })}
        </p>
      ) : null}
      {match.state === 'notFound' ? (
        <p className="sbf-warning" data-testid={`param-${key}-template`}>
          {t('templateField.notFound', { name: text.trim() })}
        </p>
      ) : null}
      {match.state === 'language' ? (
        <p className="sbf-warning" data-testid={`param-${key}-template`}>
          {t('templateField.language', { language, languages: match.languages.join(', ') })}
        </p>
      ) : null}
      {match.state === 'notApproved' ? (
        <p className="sbf-warning" data-testid={`param-${key}-template`}>
          {t('templateField.notApproved', { status: match.template.status })}
        </p>
      ) : null}
      {match.state === 'params' ? (
        <p className="sbf-warning" data-testid={`param-${key}-template`}>
          {t('templateField.params', { count: match.template.parameters.body.length, given: match.given })}
        </p>
      ) : null}
      {chosen?.parameters.named ? (
        <p className="sbf-warning" data-testid={`param-${key}-named`}>
          {t('templateField.named', {
            names: [
              ...(chosen.parameters.header.kind === 'text' ? chosen.parameters.header.params : []),
              ...chosen.parameters.body,
            ].join(', '),
          })}
        </p>
      ) : null}
      {chosen ? (
        <div className="sbf-template-preview">
          <p className="sbf-help">{t('templateField.preview')}</p>
          <pre data-testid={`param-${key}-preview`}>
            {previewText(chosen, nodePreviewValues(chosen.parameters, headerParams, bodyParams))}
          </pre>
        </div>
      ) : null}
      {lookup.error !== null ? (
        <p className="sbf-warning">{t('templateField.loadFailed', { error: lookup.error })}</p>
      ) : null}
    </FieldShell>
  );
}
