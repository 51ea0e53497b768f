// The filter builder's form state and the segment filter it makes (docs/contacts.md).

export interface AttributeRow {
  key: string;
  op: 'equals' | 'not_equals' | 'exists' | 'not_exists' | 'gt' | 'gte' | 'lt' | 'lte';
  value: string;
}

export interface FilterForm {
  tagsAll: string;
  tagsAny: string;
  tagsNone: string;
  countryIn: string;
  countryNotIn: string;
  optedIn: '' | 'all' | 'marketing' | 'utility';
  withinDays: string;
  olderThanDays: string;
  attributes: AttributeRow[];
}

export const EMPTY_FORM: FilterForm = {
  tagsAll: '',
  tagsAny: '',
  tagsNone: '',
  countryIn: '',
  countryNotIn: '',
  optedIn: '',
  withinDays: '',
  olderThanDays: '',
  attributes: [],
};

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A typed value: numbers and true/false as such, anything else as text. */
function typed(value: string): string | number | boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** The filter the server takes; empty parts are left out (the server names any remaining problem). */
export function toFilter(f: FilterForm): Record<string, unknown> {
  const tags = Object.fromEntries(
    (
      [
        ['all', list(f.tagsAll)],
        ['any', list(f.tagsAny)],
        ['none', list(f.tagsNone)],
      ] as const
    ).filter(([, v]) => v.length > 0),
  );
  const country = Object.fromEntries(
    (
      [
        ['in', list(f.countryIn)],
        ['notIn', list(f.countryNotIn)],
      ] as const
    ).filter(([, v]) => v.length > 0),
  );
  const last = {
    ...(f.withinDays ? { withinDays: Number(f.withinDays) } : {}),
    ...(f.olderThanDays ? { olderThanDays: Number(f.olderThanDays) } : {}),
  };
  const attributes = f.attributes
    .filter((a) => a.key.trim())
    .map((a) =>
      a.op === 'exists' || a.op === 'not_exists'
        ? { key: a.key.trim(), op: a.op }
        : {
            key: a.key.trim(),
            op: a.op,
            value: a.op === 'equals' || a.op === 'not_equals' ? typed(a.value) : Number(a.value),
          },
    );
  return {
    ...(Object.keys(tags).length ? { tags } : {}),
    ...(attributes.length ? { attributes } : {}),
    ...(Object.keys(country).length ? { country } : {}),
    ...(f.optedIn ? { optedIn: f.optedIn } : {}),
    ...(Object.keys(last).length ? { lastInteraction: last } : {}),
  };
}

/** The form for a stored filter (editing a campaign's inline audience): `toFilter`'s inverse. */
export function fromFilter(filter: Record<string, unknown>): FilterForm {
  const f = filter as {
    tags?: { all?: string[]; any?: string[]; none?: string[] };
    country?: { in?: string[]; notIn?: string[] };
    optedIn?: FilterForm['optedIn'];
    lastInteraction?: { withinDays?: number; olderThanDays?: number };
    attributes?: Array<{ key: string; op: AttributeRow['op']; value?: unknown }>;
  };
  const join = (items: string[] | undefined) => (items ?? []).join(', ');
  const days = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    tagsAll: join(f.tags?.all),
    tagsAny: join(f.tags?.any),
    tagsNone: join(f.tags?.none),
    countryIn: join(f.country?.in),
    countryNotIn: join(f.country?.notIn),
    optedIn: f.optedIn ?? '',
    withinDays: days(f.lastInteraction?.withinDays),
    olderThanDays: days(f.lastInteraction?.olderThanDays),
    attributes: (f.attributes ?? []).map((a) => ({
      key: a.key,
      op: a.op,
      value: a.value === undefined ? '' : String(a.value),
    })),
  };
}
