// What a template asks for when it is sent, shared by the inbox's template picker and the "send template"
// node's inspector: the fields to fill in (from the parameters the server computes from the components)
// and the text as the customer reads it.

/** A component as `GET /api/templates` answers it (Meta's fields). */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: Array<{ type: string; text?: string; url?: string }>;
}

/** What a send must give (computed by the server from the components). */
export interface TemplateSlots {
  header: { kind: 'none' } | { kind: 'text'; params: string[] } | { kind: 'media'; format: string };
  body: string[];
  named: boolean;
  buttons: Array<{ index: number; type: 'url' | 'quick_reply'; text: string; needsParam: boolean }>;
}

/** Every value a send asks for, keyed `header:<p>`, `body:<p>` or `button:<index>`. */
export type TemplateValues = Record<string, string>;

export interface TemplateField {
  key: string;
  /** `{{1}}`, `{{first_name}}`, or a button's text. */
  label: string;
  where: 'header' | 'body' | 'button';
}

/** The fields to fill in, in order: header text parameters, body parameters, URL buttons. */
export function templateFields(slots: TemplateSlots): TemplateField[] {
  const fields: TemplateField[] = [];
  if (slots.header.kind === 'text')
    for (const p of slots.header.params)
      fields.push({ key: `header:${p}`, label: `{{${p}}}`, where: 'header' });
  for (const p of slots.body) fields.push({ key: `body:${p}`, label: `{{${p}}}`, where: 'body' });
  for (const b of slots.buttons)
    if (b.needsParam)
      fields.push({ key: `button:${b.index}`, label: b.text || `#${b.index + 1}`, where: 'button' });
  return fields;
}

/** The template's text as the customer reads it, parameters filled in where given. */
export function previewText(
  template: { components: readonly TemplateComponent[] },
  values: TemplateValues = {},
): string {
  const fill = (text: string, where: string) =>
    text.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (all, p: string) => values[`${where}:${p}`]?.trim() || all);
  return template.components
    .flatMap((c) => {
      const type = c.type.toUpperCase();
      if (type === 'HEADER')
        return c.text ? [fill(c.text, 'header')] : [`[${(c.format ?? '').toLowerCase()}]`];
      if (type === 'BODY') return [fill(c.text ?? '', 'body')];
      if (type === 'FOOTER') return [c.text ?? ''];
      if (type === 'BUTTONS') return [(c.buttons ?? []).map((b) => `[${b.text ?? b.type}]`).join(' ')];
      return [];
    })
    .filter(Boolean)
    .join('\n');
}
