import type { ReactNode } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { fieldHelp, fieldLabel } from '../labels';
import type { FieldModel } from '../model/field-model';
import { type Path, pathKey } from '../model/paths';
import { ProblemList } from './ProblemList';

/**
 * A field's frame: label (required marked), help from the schema, the widget, a counter slot, and the
 * problems validation found on it. `htmlFor` ties the label to single-input widgets.
 */
export function FieldShell({
  model,
  path,
  children,
  aside,
  extraProblems,
  required,
  htmlFor,
}: {
  model: FieldModel;
  path: Path;
  children: ReactNode;
  /** Shown at the right of the label (counters). */
  aside?: ReactNode;
  /** Problems the form finds itself (repeated ids), shown with validation's. */
  extraProblems?: readonly string[];
  /** Overrides the schema's required (fields required only in some modes). */
  required?: boolean;
  htmlFor?: string;
}) {
  const form = useForm();
  const key = pathKey(path);
  const problems = [...form.problemsAt(key), ...(extraProblems ?? [])];
  const help = fieldHelp(model);
  const isRequired = required ?? model.required;
  return (
    <div className={`sbf-field${problems.length > 0 ? ' has-problem' : ''}`} data-field={key}>
      <div className="sbf-label-row">
        <label className="sbf-label" htmlFor={htmlFor}>
          {fieldLabel(form.nodeType, model)}
          {isRequired ? (
            <span className="sbf-required" title={t('form.required')}>
              <span aria-hidden="true">*</span>
              <span className="sbf-visually-hidden"> ({t('form.required')})</span>
            </span>
          ) : null}
        </label>
        {aside}
      </div>
      {children}
      {help ? <p className="sbf-help">{help}</p> : null}
      <ProblemList problems={problems} testId={`problem-${key}`} />
    </div>
  );
}
