import { useId, useState } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import type { AnyModel } from '../model/field-model';
import { type Path, pathKey } from '../model/paths';
import { jsonDrafts, jsonText, parseJson } from './drafts';
import { FieldShell } from './FieldShell';
import { VariableInput } from './VariableInput';

/**
 * A param of any type (`z.unknown()`: values to compare, variable values, log data). Text by default,
 * with `{{ }}` completion; switch to JSON for numbers, lists and objects. JSON that does not parse yet
 * is kept as typed (and survives selecting another node) but not stored until it does.
 */
export function AnyField({
  model,
  path,
  value,
  bare,
  required,
}: {
  model: AnyModel;
  path: Path;
  value: unknown;
  bare?: boolean;
  required?: boolean;
}) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const [json, setJson] = useState(() => value !== undefined && typeof value !== 'string');
  const [draft, setDraft] = useState(() => jsonDrafts.get(form.nodeId, key));
  const [error, setError] = useState<string | null>(null);

  const writeJson = (text: string) => {
    setDraft(text);
    if (text.trim() === '') {
      jsonDrafts.clear(form.nodeId, key);
      setError(null);
      return form.set(path, undefined);
    }
    const parsed = parseJson(text);
    if (parsed.ok) {
      jsonDrafts.clear(form.nodeId, key);
      setError(null);
      form.set(path, parsed.value);
    } else {
      jsonDrafts.set(form.nodeId, key, text);
      setError(parsed.message);
    }
  };

  const toggle = () => {
    if (json) {
      // Back to text: what is stored becomes its text; an unparsed draft is kept as text.
      const text =
        draft ?? (typeof value === 'string' ? value : value === undefined ? undefined : jsonText(value));
      jsonDrafts.clear(form.nodeId, key);
      setDraft(undefined);
      setError(null);
      form.set(path, text === '' ? undefined : text);
    } else if (typeof value === 'string') {
      // To JSON: text that reads as JSON becomes that value ("42" → 42).
      const parsed = parseJson(value);
      if (parsed.ok) form.set(path, parsed.value);
      else setDraft(value);
    }
    setJson(!json);
  };

  const shownText = json ? (draft ?? jsonText(value)) : typeof value === 'string' ? value : jsonText(value);
  const input = (
    <div className="sbf-any">
      <VariableInput
        id={id}
        value={shownText}
        onChange={json ? writeJson : (text) => form.set(path, text === '' ? undefined : text)}
        testId={`param-${key}`}
        multiline={json && shownText.includes('\n')}
        monospace={json}
        invalid={error !== null || form.problemsAt(key).length > 0}
        placeholder={model.default !== undefined ? jsonText(model.default) : undefined}
      />
      <button
        type="button"
        className={`sbf-json-toggle${json ? ' is-on' : ''}`}
        aria-pressed={json}
        title={t('any.jsonHelp')}
        onClick={toggle}
        data-testid={`param-${key}-json`}
      >
        JSON
      </button>
      {error ? <p className="sbf-warning">{t('any.notJsonYet', { error })}</p> : null}
    </div>
  );
  if (bare) return input;
  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id}>
      {input}
    </FieldShell>
  );
}
