import { type KeyboardEvent, useId } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { textLimit } from '../model/limits';
import { pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { LimitCounter } from './LimitCounter';
import { VariableInput } from './VariableInput';

/** Text of a value, or '' (a number or object in a text widget is shown, not dropped). */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** HH:MM with the browser's time picker; "24:00" (end of day), which it cannot show, as text. */
export function TimeField({ model, path, value, required, bare }: FieldProps) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const text = textOf(value);
  const native = text === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
  const input = (
    <input
      id={id}
      type={native ? 'time' : 'text'}
      value={text}
      placeholder="HH:MM"
      onChange={(e) => form.set(path, e.target.value === '' ? undefined : e.target.value)}
      aria-invalid={form.problemsAt(key).length > 0 || undefined}
      data-testid={`param-${key}`}
    />
  );
  if (bare) return input;
  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id}>
      {input}
    </FieldShell>
  );
}

export function DateField({ model, path, value, required, bare }: FieldProps) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const text = textOf(value);
  const input = (
    <input
      id={id}
      type={text === '' || /^\d{4}-\d{2}-\d{2}$/.test(text) ? 'date' : 'text'}
      value={text}
      onChange={(e) => form.set(path, e.target.value === '' ? undefined : e.target.value)}
      aria-invalid={form.problemsAt(key).length > 0 || undefined}
      data-testid={`param-${key}`}
    />
  );
  if (bare) return input;
  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id}>
      {input}
    </FieldShell>
  );
}

/**
 * JavaScript (a code node's body, an expression): monospace, Tab indents, no `{{ }}` (names are plain
 * JavaScript here), and a line saying which names there are.
 */
export function CodeField({ model, path, value, required }: FieldProps) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const text = textOf(value);
  const max = model.kind === 'text' ? model.maxLength : undefined;
  const isBody = model.key === 'code';
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (e.key !== 'Tab' || e.shiftKey) return;
    e.preventDefault();
    const el = e.currentTarget;
    const start = el.selectionStart ?? text.length;
    const end = el.selectionEnd ?? start;
    const next = `${text.slice(0, start)}  ${text.slice(end)}`;
    form.set(path, next);
    requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
  };
  return (
    <FieldShell
      model={model}
      path={path}
      required={required}
      htmlFor={id}
      aside={
        max !== undefined && text.length > max * 0.5 ? (
          <LimitCounter limit={textLimit(text, max)} testId={`param-${key}-count`} />
        ) : null
      }
    >
      <VariableInput
        id={id}
        value={text}
        onChange={(next) => form.set(path, next === '' ? undefined : next)}
        testId={`param-${key}`}
        multiline
        rows={isBody ? 10 : 3}
        monospace
        variables={false}
        onKeyDown={onKeyDown}
        invalid={form.problemsAt(key).length > 0}
        placeholder={
          isBody ? 'return { total: vars.total * 1.21 };' : "vars.total > 100 && contact.tags.includes('vip')"
        }
      />
      <p className="sbf-help">{t('code.names')}</p>
    </FieldShell>
  );
}
