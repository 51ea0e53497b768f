import { useId } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { optionLabel } from '../labels';
import type { BooleanModel, EnumModel, MultiEnumModel } from '../model/field-model';
import { itemsLimit } from '../model/limits';
import { type Path, pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import { LimitCounter } from './LimitCounter';

/** A yes / no param as a switch; unset shows the default. */
export function BooleanField({
  model,
  path,
  value,
  bare,
}: {
  model: BooleanModel;
  path: Path;
  value: unknown;
  bare?: boolean;
}) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const on = typeof value === 'boolean' ? value : model.default === true;
  const toggle = (
    <button
      id={id}
      type="button"
      role="switch"
      aria-checked={on}
      className={`sbf-switch${on ? ' is-on' : ''}`}
      onClick={() => form.set(path, !on)}
      data-testid={`param-${key}`}
    >
      <span className="sbf-switch-knob" />
      <span className="sbf-switch-text">{on ? t('form.on') : t('form.off')}</span>
    </button>
  );
  if (bare) return toggle;
  return (
    <FieldShell model={model} path={path} htmlFor={id}>
      {toggle}
    </FieldShell>
  );
}

/**
 * One of a list as a select with translated labels. Optional without a default: an empty choice
 * clears it. A stored value the schema does not list stays as an option, so it is not lost.
 */
export function EnumField({
  model,
  path,
  value,
  bare,
  required,
}: {
  model: EnumModel;
  path: Path;
  value: unknown;
  bare?: boolean;
  required?: boolean;
}) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const current = value === undefined || value === null ? (model.default ?? '') : String(value);
  const unknown = current !== '' && !model.options.includes(String(current));
  const select = (
    <select
      id={id}
      value={String(current)}
      onChange={(e) => form.set(path, e.target.value === '' ? undefined : e.target.value)}
      data-testid={`param-${key}`}
      aria-invalid={form.problemsAt(key).length > 0 || undefined}
    >
      {model.default === undefined ? <option value="">{t('form.choose')}</option> : null}
      {unknown ? (
        <option value={String(current)}>{t('form.notAnOption', { value: String(current) })}</option>
      ) : null}
      {model.options.map((option) => (
        <option key={option} value={option}>
          {optionLabel(model.key, option)}
          {option === model.default ? ` ${t('form.defaultMark')}` : ''}
        </option>
      ))}
    </select>
  );
  if (bare) return select;
  return (
    <FieldShell model={model} path={path} htmlFor={id} required={required}>
      {select}
    </FieldShell>
  );
}

/** Several of a list (message types, statuses, weekdays): toggle chips in the schema's order. */
export function MultiEnumField({
  model,
  path,
  value,
}: {
  model: MultiEnumModel;
  path: Path;
  value: unknown;
}) {
  const form = useForm();
  const key = pathKey(path);
  const chosen = Array.isArray(value)
    ? value.map(String)
    : Array.isArray(model.default)
      ? model.default.map(String)
      : [];
  const toggle = (option: string) => {
    const next = chosen.includes(option) ? chosen.filter((c) => c !== option) : [...chosen, option];
    // Keep the schema's order, so the stored list reads like the choices.
    form.set(
      path,
      model.options.filter((o) => next.includes(o)).concat(next.filter((o) => !model.options.includes(o))),
    );
  };
  const aside =
    model.maxItems !== undefined ? (
      <LimitCounter limit={itemsLimit(chosen, model.maxItems)} testId={`param-${key}-count`} />
    ) : null;
  return (
    <FieldShell model={model} path={path} aside={aside}>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of toggle chips; a fieldset would bring its own frame */}
      <div className="sbf-choices" role="group" data-testid={`param-${key}`}>
        {model.options.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={chosen.includes(option)}
            className={`sbf-choice${chosen.includes(option) ? ' is-on' : ''}`}
            onClick={() => toggle(option)}
            data-testid={`param-${key}-${option}`}
          >
            {optionLabel(model.key, option)}
          </button>
        ))}
      </div>
    </FieldShell>
  );
}
