/**
 * What the credential and team pickers offer, worked out from the server's lists and the field's
 * current value. The value a flow holds is never changed by opening its node: one that is not in the
 * list (a flow imported from another server, a credential since deleted) stays selected and is marked.
 */

/** A stored credential as `GET /api/credentials` lists it (never its data). */
export interface StoredCredential {
  name: string;
  type: string;
}

/** A team as `GET /api/teams` lists it (the fields the picker uses). */
export interface TeamEntry {
  id: string;
  name: string;
  openNow?: boolean;
}

export interface CredentialChoice {
  name: string;
  type?: string;
  /**
   * `stored`: in the list, of a type the node accepts; `wrongType`: stored, but of another type;
   * `notFound`: not stored here; `variable`: a `{{ }}` template, known only when the flow runs;
   * `unchecked`: the list has not been loaded (yet).
   */
  state: 'stored' | 'wrongType' | 'notFound' | 'variable' | 'unchecked';
}

const isTemplate = (value: string) => value.includes('{{');

/**
 * The options of a credential select: the stored credentials of the accepted types (all of them when
 * `accepted` is null), by name; and `current`, the value held when it is not one of them (to show
 * first, marked, so it is kept), else null. `stored` is null while the list is not loaded.
 */
export function credentialChoices(
  stored: readonly StoredCredential[] | null,
  accepted: readonly string[] | null,
  value: string,
): { options: CredentialChoice[]; current: CredentialChoice | null } {
  const fits = (c: StoredCredential) => accepted === null || accepted.includes(c.type);
  const options = (stored ?? [])
    .filter(fits)
    .map((c): CredentialChoice => ({ name: c.name, type: c.type, state: 'stored' }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (value === '' || options.some((o) => o.name === value)) return { options, current: null };
  if (isTemplate(value)) return { options, current: { name: value, state: 'variable' } };
  if (stored === null) return { options, current: { name: value, state: 'unchecked' } };
  const other = stored.find((c) => c.name === value);
  if (other) return { options, current: { name: value, type: other.type, state: 'wrongType' } };
  return { options, current: { name: value, state: 'notFound' } };
}

/**
 * The key the server looks a team name up by (`teamNameKey` in packages/db): lower case, without accents
 * or surrounding spaces, so "Facturación" names the team "facturacion".
 */
export function teamNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase();
}

export type TeamMatch =
  | { state: 'empty' }
  | { state: 'variable' }
  | { state: 'unchecked' }
  | { state: 'id'; team: TeamEntry }
  | { state: 'name'; team: TeamEntry }
  | { state: 'notFound' };

/**
 * Which team a team field's value names, the way the server reads it: a team id, else a team name
 * (accents and case ignored). `teams` is null while the list is not loaded.
 */
export function matchTeam(teams: readonly TeamEntry[] | null, value: string): TeamMatch {
  const text = value.trim();
  if (text === '') return { state: 'empty' };
  if (isTemplate(text)) return { state: 'variable' };
  if (teams === null) return { state: 'unchecked' };
  const byId = teams.find((t) => t.id === text);
  if (byId) return { state: 'id', team: byId };
  const key = teamNameKey(text);
  const byName = teams.find((t) => teamNameKey(t.name) === key);
  if (byName) return { state: 'name', team: byName };
  return { state: 'notFound' };
}

/**
 * The suggestions of a team field: each team's id (what is stored), labelled with its name (browsers
 * show the label beside the id in the list).
 */
export function teamSuggestions(teams: readonly TeamEntry[] | null): { value: string; label: string }[] {
  return [...(teams ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({ value: t.id, label: t.name }));
}

/** A template as the template-name field knows it (`GET /api/templates`). */
export interface TemplateEntry {
  name: string;
  language: string;
  category: string;
  status: string;
  parameters: { body: string[] };
}

export type TemplateMatch<T extends TemplateEntry = TemplateEntry> =
  | { state: 'empty' | 'variable' | 'unchecked' | 'notFound' }
  /** The name exists, in other languages only. */
  | { state: 'language'; languages: string[] }
  | { state: 'notApproved'; template: T }
  /** Approved, but the node gives another number of body parameters. */
  | { state: 'params'; template: T; given: number }
  | { state: 'ok'; template: T };

/**
 * What a template node's name and language name on the account, as the server will check the send:
 * unknown, missing in that language, not approved, or given the wrong number of body parameters.
 * `{{ }}` values are known only when the flow runs; `templates` is null while the list is not loaded.
 */
export function matchTemplate<T extends TemplateEntry>(
  templates: readonly T[] | null,
  name: string,
  language: string,
  bodyParams: number | null,
): TemplateMatch<T> {
  if (!name.trim()) return { state: 'empty' };
  if (isTemplate(name) || isTemplate(language)) return { state: 'variable' };
  if (templates === null) return { state: 'unchecked' };
  const named = templates.filter((t) => t.name === name.trim());
  if (named.length === 0) return { state: 'notFound' };
  const template = named.find((t) => t.language === language.trim());
  if (!template) return { state: 'language', languages: [...new Set(named.map((t) => t.language))].sort() };
  if (template.status !== 'APPROVED') return { state: 'notApproved', template };
  if (bodyParams !== null && bodyParams !== template.parameters.body.length)
    return { state: 'params', template, given: bodyParams };
  return { state: 'ok', template };
}

/** The approved template names, each once, for the name field's list. */
export function templateSuggestions(
  templates: readonly TemplateEntry[] | null,
): { value: string; label: string }[] {
  const approved = (templates ?? []).filter((t) => t.status === 'APPROVED');
  const names = [...new Set(approved.map((t) => t.name))].sort();
  return names.map((name) => ({
    value: name,
    label: `${name} (${approved
      .filter((t) => t.name === name)
      .map((t) => t.language)
      .join(', ')})`,
  }));
}
