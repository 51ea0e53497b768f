import { useId, useState } from 'react';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { pathKey } from '../model/paths';
import { localPartOf, zonedIso } from '../model/zoned-time';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { VariableInput } from './VariableInput';

/**
 * A date and time (a delay's `until`): picked as wall-clock time in the flow's zone and stored as ISO with
 * that zone's offset; or typed, e.g. `{{ vars.appointment }}`, in text mode.
 */
export function DateTimeField({ model, path, value, required }: FieldProps) {
  const form = useForm();
  const id = useId();
  const key = pathKey(path);
  const text = typeof value === 'string' ? value : '';
  const local = text === '' ? '' : localPartOf(text);
  const [typed, setTyped] = useState(local === null);
  const asText = typed || local === null;
  return (
    <FieldShell
      model={model}
      path={path}
      required={required}
      htmlFor={id}
      aside={
        <button
          type="button"
          className="sbf-link"
          onClick={() => setTyped(!asText)}
          data-testid={`param-${key}-mode`}
        >
          {asText ? t('datetime.pick') : t('datetime.type')}
        </button>
      }
    >
      {asText ? (
        <VariableInput
          id={id}
          value={text}
          onChange={(next) => form.set(path, next === '' ? undefined : next)}
          testId={`param-${key}`}
          placeholder="2026-05-04T09:00:00+02:00"
          invalid={form.problemsAt(key).length > 0}
        />
      ) : (
        <input
          id={id}
          type="datetime-local"
          value={local ?? ''}
          onChange={(e) =>
            form.set(
              path,
              e.target.value ? (zonedIso(e.target.value, form.flowTimezone) ?? e.target.value) : undefined,
            )
          }
          data-testid={`param-${key}`}
        />
      )}
      {!asText ? (
        <p className="sbf-help">
          {t('datetime.inZone', { zone: form.flowTimezone })}
          {text ? <code className="sbf-stored"> {text}</code> : null}
        </p>
      ) : null}
    </FieldShell>
  );
}
