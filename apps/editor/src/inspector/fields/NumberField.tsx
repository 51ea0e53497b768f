import { type KeyboardEvent, useId, useState } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { durationParts, durationUnitOf } from '../model/duration';
import type { NumberModel } from '../model/field-model';
import { type Path, pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import { VariableInput } from './VariableInput';

/**
 * A number param, typed as text so half-typed numbers ("1.", "-") and `{{ }}` references are kept:
 * a number is stored as soon as the text is one, anything else is stored as typed (validation says
 * what is wrong). ↑ / ↓ step within the schema's range.
 */
export function NumberField({
  model,
  path,
  value,
  bare,
  required,
}: {
  model: NumberModel;
  path: Path;
  value: unknown;
  bare?: boolean;
  required?: boolean;
}) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const shown = value === undefined || value === null ? '' : String(value);
  // What the user typed, while it reads as the stored value ("1." is 1): keeps the dot on screen.
  const [draft, setDraft] = useState(shown);
  const text = Number(draft.trim().replace(',', '.')) === value && draft.trim() !== '' ? draft : shown;

  const write = (next: string) => {
    setDraft(next);
    const trimmed = next.trim();
    if (trimmed === '') return form.set(path, undefined);
    const n = Number(trimmed.replace(',', '.'));
    const isNumber = /^-?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed) && Number.isFinite(n);
    form.set(path, isNumber ? n : next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    const current = typeof value === 'number' ? value : typeof model.default === 'number' ? model.default : 0;
    if (typeof value === 'string' && value !== '') return;
    e.preventDefault();
    let next = current + (e.key === 'ArrowUp' ? 1 : -1);
    if (model.min !== undefined) next = Math.max(model.exclusiveMin ? model.min + 1 : model.min, next);
    if (model.max !== undefined) next = Math.min(model.max, next);
    write(String(next));
  };

  const placeholder = typeof model.default === 'number' ? String(model.default) : undefined;
  const input = (
    <VariableInput
      id={id}
      value={text}
      onChange={write}
      testId={`param-${key}`}
      inputMode={model.integer ? 'numeric' : 'decimal'}
      placeholder={placeholder}
      invalid={form.problemsAt(key).length > 0}
      onKeyDown={onKeyDown}
    />
  );
  if (bare) return input;
  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id} aside={<Range model={model} />}>
      {input}
      <DurationHint name={model.key} value={typeof value === 'number' ? value : model.default} />
    </FieldShell>
  );
}

function Range({ model }: { model: NumberModel }) {
  if (model.min === undefined && model.max === undefined) return null;
  if (model.exclusiveMin && model.max === undefined) {
    return <span className="sbf-range">{t('number.moreThan', { min: model.min ?? 0 })}</span>;
  }
  return (
    <span className="sbf-range">
      {model.min ?? '…'}–{model.max ?? '…'}
    </span>
  );
}

function DurationHint({ name, value }: { name: string; value: unknown }) {
  const unit = durationUnitOf(name);
  if (!unit || typeof value !== 'number') return null;
  const parts = durationParts(value, unit);
  if (parts.length === 0) return null;
  return <p className="sbf-help">= {parts.map((p) => t(`duration.${p.unit}`, { n: p.n })).join(' ')}</p>;
}
