import { type ReactNode, useId, useMemo } from 'react';
import { useTemplates } from '../../api/lookups';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { type Path, pathKey } from '../model/paths';
import { matchTemplate, templateSuggestions } from '../model/pickers';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { LookupReload } from './LookupReload';
import { VariableInput } from './VariableInput';

/** The params object holding this name field (`params`, or `params.template` for send-and-wait). */
function siblings(params: Record<string, unknown>, path: Path): Record<string, unknown> {
  let at: unknown = params;
  for (const part of path.slice(0, -1)) at = (at as Record<string | number, unknown> | undefined)?.[part];
  return at && typeof at === 'object' ? (at as Record<string, unknown>) : {};
}

/**
 * A template node's `name`: a text box whose list offers the account's approved templates (with their
 * languages), and a line saying what the server will say of the send: the template's category and
 * parameters, or that it is unknown here, missing in that language, not approved, or given another
 * number of body parameters than it takes. The value is never changed by it.
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
  const lookup = useTemplates();
  const suggestions = useMemo(() => templateSuggestions(lookup.items), [lookup.items]);
  if (model.kind !== 'text') return <>{renderDefault()}</>;
  const key = pathKey(path);
  const text = typeof value === 'string' ? value : '';
  const around = siblings(form.params, path);
  const language = typeof around.language === 'string' ? around.language : '';
  const bodyParams = Array.isArray(around.bodyParams) ? around.bodyParams.length : 0;
  const match = matchTemplate(lookup.items, text, language, bodyParams);
  return (
    <FieldShell
      model={model}
      path={path}
      required={required}
      htmlFor={id}
      aside={<LookupReload lookup={lookup} testId={`param-${key}-reload`} />}
    >
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
      {lookup.error !== null ? (
        <p className="sbf-warning">{t('templateField.loadFailed', { error: lookup.error })}</p>
      ) : null}
    </FieldShell>
  );
}
