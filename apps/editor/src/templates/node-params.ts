import { type TemplateField, type TemplateSlots, type TemplateValues, templateFields } from './slots';

// The "send template" node gives its parameters as two ordered lists, `headerParams` and `bodyParams`
// (values or `{{ }}` expressions), not keyed by name: the i-th value fills the template's i-th parameter.

/** The node's inputs for a template: its header and body parameters in order (the node has no URL buttons). */
export function nodeTemplateFields(slots: TemplateSlots): { header: TemplateField[]; body: TemplateField[] } {
  const fields = templateFields(slots);
  return {
    header: fields.filter((f) => f.where === 'header'),
    body: fields.filter((f) => f.where === 'body'),
  };
}

/** The node's lists as the preview's values: `headerParams[i]` fills the i-th header parameter, and so on. */
export function nodePreviewValues(
  slots: TemplateSlots,
  headerParams: readonly unknown[],
  bodyParams: readonly unknown[],
): TemplateValues {
  const { header, body } = nodeTemplateFields(slots);
  const values: TemplateValues = {};
  const fill = (fields: TemplateField[], given: readonly unknown[]) =>
    fields.forEach((f, i) => {
      const v = given[i];
      if (typeof v === 'string' && v.trim()) values[f.key] = v;
    });
  fill(header, headerParams);
  fill(body, bodyParams);
  return values;
}

const isExpression = (value: string) => value.includes('{{');

/**
 * The approved templates a node can pick: those of its channel when it names one, of every channel when
 * it does not (it then sends through the number the customer wrote to) or names it by an expression;
 * each name and language once, by name then language.
 */
export function approvedTemplates<
  T extends { channelId?: string; name: string; language: string; status: string },
>(templates: readonly T[] | null, channel: string): T[] {
  const only = channel.trim() && !isExpression(channel) ? channel.trim() : null;
  const seen = new Set<string>();
  return (templates ?? [])
    .filter((t) => t.status === 'APPROVED' && (only === null || t.channelId === only))
    .filter((t) => {
      const key = `${t.name}/${t.language}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}
