import type { Contact } from '@switchboard/db';

// Template parameter values with per-contact placeholders (docs/campaigns.md):
// `{{contact.name}}`, `{{contact.waId}}`, `{{contact.phone}}`, `{{contact.country}}`,
// `{{contact.attributes.KEY}}`, each optionally with a fallback: `{{contact.name | "amigo"}}`.

const PLACEHOLDER = /\{\{\s*([^|}]*?)\s*(?:\|\s*"((?:[^"\\]|\\.)*)"\s*)?\}\}/g;
const FIELDS = new Set(['contact.name', 'contact.waId', 'contact.phone', 'contact.country']);

/** What a parameter value says wrong about its placeholders (empty: it is fine). */
export function placeholderProblems(value: string): string[] {
  const problems: string[] = [];
  for (const match of value.matchAll(PLACEHOLDER)) {
    const path = match[1] ?? '';
    if (!FIELDS.has(path) && !/^contact\.attributes\.[^\s.][^\s]*$/.test(path))
      problems.push(
        `unknown placeholder "{{${path}}}": use contact.name, contact.waId, contact.phone, contact.country or contact.attributes.KEY`,
      );
  }
  return problems;
}

/** The contact's value at `path`, as text ('' when it has none). */
function contactValue(
  contact: Pick<Contact, 'name' | 'waId' | 'phone' | 'country' | 'attributes'>,
  path: string,
) {
  let value: unknown;
  if (path === 'contact.name') value = contact.name;
  else if (path === 'contact.waId') value = contact.waId;
  else if (path === 'contact.phone') value = contact.phone;
  else if (path === 'contact.country') value = contact.country;
  else value = contact.attributes?.[path.slice('contact.attributes.'.length)];
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value).trim();
}

/**
 * The value rendered for one contact, or null when a placeholder without fallback has nothing (or the
 * whole value renders empty: Meta refuses empty parameters).
 */
export function renderParam(
  value: string,
  contact: Pick<Contact, 'name' | 'waId' | 'phone' | 'country' | 'attributes'>,
): string | null {
  let missing = false;
  const rendered = value.replace(PLACEHOLDER, (_all, path: string, fallback: string | undefined) => {
    const found = contactValue(contact, path);
    if (found !== '') return found;
    if (fallback !== undefined) return fallback.replace(/\\(.)/g, '$1');
    missing = true;
    return '';
  });
  return missing || rendered.trim() === '' ? null : rendered;
}
