import { type ReactNode, useId } from 'react';
import { t } from '../../i18n';
import { nodeTemplateFields } from '../../templates/node-params';
import { useForm } from '../form-context';
import { pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { useNodeTemplate } from './node-template';
import { VariableInput } from './VariableInput';

/**
 * A template node's `headerParams` or `bodyParams`: once the name and language are an approved template
 * of the account, one input per parameter of that part, labelled as in the template ({{1}},
 * {{first_name}}); values and `{{ }}` expressions alike. While the template is not known here (not
 * loaded, an expression, another account's) it is the plain ordered list.
 */
export function TemplateParamsField(props: FieldProps & { renderDefault: () => ReactNode }) {
  const { model, path, value, required, renderDefault } = props;
  const form = useForm();
  const id = useId();
  const { match } = useNodeTemplate(path);
  if (match.state !== 'ok' && match.state !== 'params') return <>{renderDefault()}</>;
  const part = path.at(-1) === 'headerParams' ? 'header' : 'body';
  const fields = nodeTemplateFields(match.template.parameters)[part];
  const given = Array.isArray(value) ? value : [];
  const key = pathKey(path);
  // A part the template does not have, with nothing given: nothing to ask.
  if (fields.length === 0 && given.length === 0) return null;
  const write = (index: number, next: string) => {
    const values = fields.map((_, i) => (i === index ? next : typeof given[i] === 'string' ? given[i] : ''));
    form.set(path, values.every((v) => v === '') ? undefined : values);
  };
  return (
    <FieldShell model={model} path={path} required={required}>
      <div className="sbf-template-params" data-testid={`param-${key}-slots`}>
        {fields.length === 0 ? <p className="sbf-help">{t('templateField.noParams')}</p> : null}
        {fields.map((f, i) => (
          <div key={f.key} className="sbf-template-param">
            <label className="sbf-template-param-label" htmlFor={`${id}-${i}`}>
              {f.label}
            </label>
            <VariableInput
              id={`${id}-${i}`}
              value={typeof given[i] === 'string' ? given[i] : ''}
              onChange={(next) => write(i, next)}
              testId={`param-${key}-${i}`}
              invalid={form.problemsAt(`${key}.${i}`).length > 0}
            />
          </div>
        ))}
        {given.length > fields.length ? (
          <p className="sbf-warning" data-testid={`param-${key}-extra`}>
            {t('templateField.extra', { count: given.length - fields.length })}
          </p>
        ) : null}
      </div>
    </FieldShell>
  );
}
