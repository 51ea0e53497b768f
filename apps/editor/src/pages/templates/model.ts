import { type TemplateSlots, type TemplateValues, templateFields } from '../../templates/slots';
import type { TemplateRecord } from './types';

/** The fields still empty (their labels), so the picker can say which before anything is sent. */
export function missingValues(slots: TemplateSlots, values: TemplateValues): string[] {
  return templateFields(slots)
    .filter((f) => !values[f.key]?.trim())
    .map((f) => f.label);
}

/** The `POST /api/messages` template message for a picked template and its values. */
export function templateSend(template: TemplateRecord, values: TemplateValues) {
  const slots = template.parameters;
  const v = (key: string) => (values[key] ?? '').trim();
  const header =
    slots.header.kind === 'text' && slots.header.params.length
      ? { header: { type: 'text' as const, params: slots.header.params.map((p) => v(`header:${p}`)) } }
      : {};
  const body = slots.body.length
    ? {
        body: {
          params: slots.named
            ? slots.body.map((p) => ({ name: p, value: v(`body:${p}`) }))
            : slots.body.map((p) => v(`body:${p}`)),
        },
      }
    : {};
  const buttons = slots.buttons
    .filter((b) => b.needsParam)
    .map((b) => ({ index: b.index, subType: 'url' as const, text: v(`button:${b.index}`) }));
  return {
    type: 'template' as const,
    name: template.name,
    language: template.language,
    category: template.category.toLowerCase(),
    ...header,
    ...body,
    ...(buttons.length ? { buttons } : {}),
  };
}

/** The create form's fields. */
export interface TemplateDraft {
  name: string;
  language: string;
  category: string;
  header: string;
  body: string;
  footer: string;
  /** Quick-reply labels, one per line. */
  quickReplies: string;
  /** Example values for the body's {{1}}, {{2}}… (or {{name}}), by parameter. */
  examples: Record<string, string>;
}

/** The body's parameters in order of first appearance ({{1}} or {{name}}). */
export function draftParams(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)].map((m) => m[1] as string))];
}

/** The `POST /api/templates` body for a draft (Meta's component shapes; the server checks the rules). */
export function draftRequest(d: TemplateDraft) {
  const params = draftParams(d.body);
  const named = params.some((p) => !/^\d+$/.test(p));
  const body: Record<string, unknown> = { type: 'BODY', text: d.body };
  if (params.length)
    body.example = named
      ? { body_text_named_params: params.map((p) => ({ param_name: p, example: d.examples[p] ?? '' })) }
      : { body_text: [params.map((p) => d.examples[p] ?? '')] };
  const replies = d.quickReplies
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    name: d.name.trim(),
    language: d.language.trim(),
    category: d.category,
    ...(named ? { parameter_format: 'NAMED' } : {}),
    components: [
      ...(d.header.trim() ? [{ type: 'HEADER', format: 'TEXT', text: d.header.trim() }] : []),
      body,
      ...(d.footer.trim() ? [{ type: 'FOOTER', text: d.footer.trim() }] : []),
      ...(replies.length
        ? [{ type: 'BUTTONS', buttons: replies.map((text) => ({ type: 'QUICK_REPLY', text })) }]
        : []),
    ],
  };
}
