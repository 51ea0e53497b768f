import { type ReactNode, useId } from 'react';
import { useCredentials } from '../../api/lookups';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { credentialTypesFor } from '../model/credential-types';
import { pathKey } from '../model/paths';
import { type CredentialChoice, credentialChoices } from '../model/pickers';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { LookupReload } from './LookupReload';
import { VariableInput } from './VariableInput';

/** "Bearer token", "Slack"…: a credential type for people (the type itself when there is no label). */
export function credentialTypeLabel(type: string): string {
  const text = t(`credentialType.${type}`);
  return text === `credentialType.${type}` ? type : text;
}

function optionText(choice: CredentialChoice, showType: boolean): string {
  const type = choice.type ? credentialTypeLabel(choice.type) : '';
  switch (choice.state) {
    case 'notFound':
      return t('credential.optionNotFound', { name: choice.name });
    case 'wrongType':
      return t('credential.optionWrongType', { name: choice.name, type });
    case 'stored':
      return showType ? `${choice.name} · ${type}` : choice.name;
    default:
      return choice.name;
  }
}

/**
 * A param that names a stored credential (`credential`, `slackCredential`): a select of the credentials
 * `GET /api/credentials` lists, only of the types this node accepts (`model/credential-types.ts`). The
 * value held is kept even when it is not in the list, marked "not found" (or of the wrong type), so a
 * flow from another server is not changed by opening its node. If the list cannot be loaded, the name is
 * typed instead. Credentials are created through the API, which the help line says.
 */
export function CredentialPicker({
  model,
  path,
  value,
  required,
  renderDefault,
}: FieldProps & { renderDefault: () => ReactNode }) {
  const form = useForm();
  const id = useId();
  const lookup = useCredentials();
  if (model.kind !== 'text') return <>{renderDefault()}</>;
  const key = pathKey(path);
  const current =
    typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const accepted = credentialTypesFor(form.nodeType, model.key);
  const types = (accepted ?? []).map(credentialTypeLabel).join(' / ');
  const invalid = form.problemsAt(key).length > 0 || undefined;
  const set = (next: string) => form.set(path, next === '' ? undefined : next);
  const reload = <LookupReload lookup={lookup} testId={`param-${key}-reload`} />;
  const howTo = <p className="sbf-help">{t('credential.howTo')}</p>;

  if (lookup.items === null && lookup.error !== null) {
    // No list (an older server, a network error): the name can still be typed.
    return (
      <FieldShell model={model} path={path} required={required} htmlFor={id} aside={reload}>
        <VariableInput id={id} value={current} onChange={set} testId={`param-${key}`} invalid={invalid} />
        <p className="sbf-warning" data-testid={`param-${key}-lookup-error`}>
          {t('credential.loadFailed', { error: lookup.error })}
        </p>
        {howTo}
      </FieldShell>
    );
  }

  const { options, current: held } = credentialChoices(lookup.items, accepted, current);
  const showType = accepted === null || accepted.length > 1;
  return (
    <FieldShell model={model} path={path} required={required} htmlFor={id} aside={reload}>
      <select
        id={id}
        value={current}
        onChange={(e) => set(e.target.value)}
        aria-invalid={invalid || held?.state === 'notFound' || held?.state === 'wrongType' || undefined}
        data-testid={`param-${key}`}
      >
        <option value="">{required ? t('form.choose') : t('credential.none')}</option>
        {held ? <option value={held.name}>{optionText(held, showType)}</option> : null}
        {options.map((o) => (
          <option key={o.name} value={o.name}>
            {optionText(o, showType)}
          </option>
        ))}
      </select>
      {held?.state === 'notFound' ? (
        <p className="sbf-warning" data-testid={`param-${key}-not-found`}>
          {t('credential.notFound', { name: held.name })}
        </p>
      ) : null}
      {held?.state === 'wrongType' ? (
        <p className="sbf-warning" data-testid={`param-${key}-wrong-type`}>
          {t('credential.wrongType', {
            name: held.name,
            type: credentialTypeLabel(held.type ?? ''),
            types: types || '?',
          })}
        </p>
      ) : null}
      {lookup.error !== null ? (
        <p className="sbf-warning">{t('credential.loadFailed', { error: lookup.error })}</p>
      ) : null}
      {lookup.items !== null && options.length === 0 ? (
        <p className="sbf-help" data-testid={`param-${key}-none-stored`}>
          {accepted ? t('credential.noneOfType', { types }) : t('credential.noneStored')}
        </p>
      ) : null}
      {howTo}
    </FieldShell>
  );
}
