import { type ReactNode, useId, useMemo } from 'react';
import { useTeams } from '../../api/lookups';
import { t } from '../../i18n';
import { useForm } from '../form-context';
import { pathKey } from '../model/paths';
import { matchTeam, teamSuggestions } from '../model/pickers';
import { FieldShell } from './FieldShell';
import type { FieldProps } from './FieldView';
import { LookupReload } from './LookupReload';
import { VariableInput } from './VariableInput';

/**
 * A param that names a team (`team`, `fallbackTeam`, `escalateToTeam`, a route rule's `team`): a text
 * box whose list offers the teams of `GET /api/teams` by name and stores the chosen team's id. Free
 * text still works (a team's name, which the server also accepts, or `{{ input.team.id }}`); the line
 * under it says which team the value names, or that there is no such team here, without changing it.
 */
export function TeamPicker({
  model,
  path,
  value,
  required,
  renderDefault,
}: FieldProps & { renderDefault: () => ReactNode }) {
  const form = useForm();
  const id = useId();
  const lookup = useTeams();
  const suggestions = useMemo(() => teamSuggestions(lookup.items), [lookup.items]);
  if (model.kind !== 'text') return <>{renderDefault()}</>;
  const key = pathKey(path);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const match = matchTeam(lookup.items, text);
  const placeholder =
    typeof model.default === 'string'
      ? model.default
      : lookup.items && lookup.items.length > 0
        ? t('team.placeholder')
        : undefined;
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
        placeholder={placeholder}
        invalid={form.problemsAt(key).length > 0 || match.state === 'notFound'}
        suggestions={suggestions}
      />
      {match.state === 'id' || match.state === 'name' ? (
        <p className="sbf-help" data-testid={`param-${key}-team`}>
          {match.state === 'id'
            ? t('team.is', { name: match.team.name })
            : t('team.byName', { name: match.team.name, id: match.team.id })}
          {match.team.openNow === false ? ` · ${t('team.closedNow')}` : ''}
        </p>
      ) : null}
      {match.state === 'notFound' ? (
        <p className="sbf-warning" data-testid={`param-${key}-not-found`}>
          {t('team.notFound', { value: text.trim() })}
        </p>
      ) : null}
      {lookup.error !== null ? (
        <p className="sbf-warning" data-testid={`param-${key}-lookup-error`}>
          {t('team.loadFailed', { error: lookup.error })}
        </p>
      ) : null}
      {lookup.items !== null && lookup.items.length === 0 ? (
        <p className="sbf-help" data-testid={`param-${key}-no-teams`}>
          {t('team.noneYet')}
        </p>
      ) : null}
    </FieldShell>
  );
}
