// Template parameter values of a campaign: text with contact placeholders, rendered per recipient by the
// server (`{{contact.name}}`, `{{contact.attributes.plan | "basic"}}`…; docs/campaigns.md).

import type { TemplateSlots, TemplateValues } from '../../templates/slots';
import type { TemplateRecord } from '../templates/types';
import type { CampaignTemplate } from './types';

/** The placeholders the server knows, as the hint lists them (KEY stands for any attribute's key). */
export const PLACEHOLDERS = [
  '{{contact.name}}',
  '{{contact.waId}}',
  '{{contact.phone}}',
  '{{contact.country}}',
  '{{contact.attributes.KEY}}',
  '{{contact.name | "amigo"}}',
] as const;

// The server's rules (apps/server/src/campaigns/params.ts): an attribute key has no spaces; a fallback is
// double-quoted, with \" for a quote inside.
const FIELD = /^contact\.(name|waId|phone|country|attributes\.[^\s.]\S*)$/;
const FALLBACK = /^"(?:[^"\\]|\\.)*"$/;

/** What is wrong with one value, as a string key of the campaigns area and its variables. */
export type ParamProblem =
  | { key: 'campaigns.param.empty' }
  | { key: 'campaigns.param.unclosed' }
  | { key: 'campaigns.param.unknown'; vars: { placeholder: string } }
  | { key: 'campaigns.param.badFallback'; vars: { placeholder: string } };

/**
 * Checks a value before it goes to the server: not empty, every `{{` closed, each placeholder one of
 * the contact's fields with an optional quoted fallback. Null when it is fine.
 */
export function paramProblem(value: string): ParamProblem | null {
  if (!value.trim()) return { key: 'campaigns.param.empty' };
  const opened = value.split('{{').length - 1;
  const closed = value.split('}}').length - 1;
  if (opened !== closed) return { key: 'campaigns.param.unclosed' };
  for (const m of value.matchAll(/\{\{([^}]*)\}\}/g)) {
    const inner = m[1] ?? '';
    const bar = inner.indexOf('|');
    const field = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    if (!FIELD.test(field)) return { key: 'campaigns.param.unknown', vars: { placeholder: m[0] } };
    if (bar !== -1 && !FALLBACK.test(inner.slice(bar + 1).trim()))
      return { key: 'campaigns.param.badFallback', vars: { placeholder: m[0] } };
  }
  return null;
}

/** A contact as the placeholders read it. */
export interface SampleContact {
  name?: string | null;
  waId?: string;
  phone?: string;
  country?: string | null;
  attributes?: Record<string, unknown>;
}

/**
 * A value as one contact would receive it (the server's rule, for previews): each placeholder becomes
 * the contact's field, or its fallback when the field is empty. Null when a placeholder is empty and has
 * no fallback, or the whole value is empty: the server skips that contact (`missing_parameter`).
 */
export function renderParam(value: string, contact: SampleContact): string | null {
  let missing = false;
  const text = value.replace(/\{\{([^}]*)\}\}/g, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const field = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    const fallback =
      bar === -1
        ? null
        : inner
            .slice(bar + 1)
            .trim()
            .slice(1, -1)
            .replace(/\\(.)/g, '$1');
    const path = field.replace(/^contact\./, '');
    const raw = path.startsWith('attributes.')
      ? contact.attributes?.[path.slice('attributes.'.length)]
      : contact[path as keyof SampleContact];
    const got =
      raw === undefined || raw === null
        ? ''
        : typeof raw === 'object'
          ? JSON.stringify(raw)
          : String(raw).trim();
    if (got) return got;
    if (fallback !== null) return fallback;
    missing = true;
    return '';
  });
  // Meta refuses an empty parameter: a value that renders empty skips the contact too.
  return missing || !text.trim() ? null : text;
}

/** The keys of the values a campaign asks for: header and body text parameters (no URL buttons). */
export function campaignParamKeys(slots: TemplateSlots): string[] {
  return [
    ...(slots.header.kind === 'text' ? slots.header.params.map((p) => `header:${p}`) : []),
    ...slots.body.map((p) => `body:${p}`),
  ];
}

/**
 * Whether a campaign can send this template: parameters only in a text header and the body (a media
 * header or a URL button would need a value per send that campaigns do not take).
 */
export function campaignCanSend(template: TemplateRecord): boolean {
  return (
    template.parameters.header.kind !== 'media' && !template.parameters.buttons.some((b) => b.needsParam)
  );
}

/** The campaign's `template` for a picked template and its values (in the template's parameter order). */
export function campaignTemplate(template: TemplateRecord, values: TemplateValues): CampaignTemplate {
  const slots = template.parameters;
  const v = (key: string) => values[key] ?? '';
  const header = slots.header.kind === 'text' ? slots.header.params.map((p) => v(`header:${p}`)) : [];
  const body = slots.body.map((p) => v(`body:${p}`));
  return {
    name: template.name,
    language: template.language,
    ...(header.length ? { header: { params: header } } : {}),
    ...(body.length ? { body: { params: body } } : {}),
  };
}

/** The values of a stored campaign's template, keyed as the fields are (`campaignTemplate`'s inverse). */
export function campaignValues(slots: TemplateSlots, stored: CampaignTemplate): TemplateValues {
  const values: TemplateValues = {};
  if (slots.header.kind === 'text')
    slots.header.params.forEach((p, i) => {
      values[`header:${p}`] = stored.header?.params[i] ?? '';
    });
  slots.body.forEach((p, i) => {
    values[`body:${p}`] = stored.body?.params[i] ?? '';
  });
  return values;
}
