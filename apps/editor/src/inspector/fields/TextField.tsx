import { useId } from 'react';
import { useForm } from '../form-context';
import type { TextModel } from '../model/field-model';
import { textLimit } from '../model/limits';
import { type Path, pathKey } from '../model/paths';
import { FieldShell } from './FieldShell';
import { LimitCounter } from './LimitCounter';
import { ProblemList } from './ProblemList';
import { VariableInput } from './VariableInput';

/**
 * A text param: one line, or a text area for message bodies; `{{ }}` completion; a live `n / max`
 * counter from the schema's maxLength; the default as placeholder. Clearing it removes the value, so
 * the node's default applies.
 */
export function TextField({
  model,
  path,
  value,
  bare,
  keepEmpty,
  extraProblems,
  required,
}: {
  model: TextModel;
  path: Path;
  value: unknown;
  /** Without label and help (list items, variant branches); problems show only with `keepEmpty`. */
  bare?: boolean;
  /** Store "" instead of removing the value (positions in an ordered list must stay). */
  keepEmpty?: boolean;
  extraProblems?: readonly string[];
  required?: boolean;
}) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const limit = model.maxLength !== undefined ? textLimit(text, model.maxLength) : null;
  const invalid =
    form.problemsAt(key).length > 0 || (extraProblems?.length ?? 0) > 0 || limit?.state === 'over';
  const input = (
    <VariableInput
      id={id}
      value={text}
      onChange={(next) => form.set(path, next === '' && !keepEmpty ? undefined : next)}
      testId={`param-${key}`}
      multiline={model.multiline}
      rows={model.maxLength && model.maxLength > 1024 ? 6 : 4}
      placeholder={typeof model.default === 'string' ? model.default : undefined}
      invalid={invalid}
      suggestions={model.hint.suggest === 'choiceIds' ? form.choiceIds : undefined}
    />
  );
  const counter = limit ? <LimitCounter limit={limit} testId={`param-${key}-count`} /> : null;
  if (bare) {
    return (
      <div className="sbf-bare">
        {input}
        {counter ? <div className="sbf-bare-counter">{counter}</div> : null}
        {keepEmpty ? <ProblemList problems={form.problemsAt(key)} testId={`problem-${key}`} /> : null}
      </div>
    );
  }
  return (
    <FieldShell
      model={model}
      path={path}
      aside={counter}
      extraProblems={extraProblems}
      required={required}
      htmlFor={id}
    >
      {input}
    </FieldShell>
  );
}
