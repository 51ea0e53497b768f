import { z } from 'zod';

// Meta's message template objects, as `GET /{waba-id}/message_templates` returns them and as
// `POST /{waba-id}/message_templates` takes them (component types in upper case, as Meta writes them).

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** Review and health states Meta reports (status webhooks may add new ones; they are kept as given). */
export const TEMPLATE_STATUSES = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'LIMIT_EXCEEDED',
] as const;

const NAME = /^[a-z0-9_]+$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

export const TemplateButton = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
  otp_type: z.string().optional(),
  example: z.array(z.string()).optional(),
});
export type TemplateButton = z.infer<typeof TemplateButton>;

export const TemplateComponent = z.looseObject({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  buttons: z.array(TemplateButton).optional(),
  example: z
    .looseObject({
      header_text: z.array(z.string()).optional(),
      header_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() })).optional(),
      body_text: z.array(z.array(z.string())).optional(),
      body_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() })).optional(),
      header_handle: z.array(z.string()).optional(),
    })
    .optional(),
});
export type TemplateComponent = z.infer<typeof TemplateComponent>;

/** One template as Meta lists it. */
export const MessageTemplate = z.looseObject({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
  components: z.array(TemplateComponent).default([]),
  rejected_reason: z.string().optional(),
  quality_score: z.looseObject({ score: z.string() }).optional(),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

/** A page of `GET /{waba-id}/message_templates`. */
export const TemplatePage = z.looseObject({
  data: z.array(MessageTemplate),
  paging: z
    .looseObject({
      cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});

/** What `POST /{waba-id}/message_templates` takes. */
export interface NewTemplate {
  name: string;
  language: string;
  category: TemplateCategory;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components: TemplateComponent[];
}

export interface TemplateProblem {
  /** JSONPath-like location, e.g. `$.components[1].example.body_text`. */
  path: string;
  message: string;
}

const POSITIONAL = /\{\{\s*(\d+)\s*\}\}/g;
const NAMED = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** The `{{…}}` placeholders of a text, in order: numbers for positional, names for named ones. */
export function placeholders(text: string | undefined): { positional: number[]; named: string[] } {
  const source = text ?? '';
  return {
    positional: [...source.matchAll(POSITIONAL)].map((m) => Number(m[1])),
    named: [...source.matchAll(NAMED)].map((m) => m[1] as string),
  };
}

const Creation = z.strictObject({
  name: z
    .string({ error: 'required' })
    .min(1, 'must not be empty')
    .max(512, 'at most 512 characters')
    .regex(NAME, 'only lowercase letters, digits and _'),
  language: z.string({ error: 'required' }).regex(LANGUAGE, 'must be a language code such as en_US or es'),
  category: z.enum(TEMPLATE_CATEGORIES, { error: 'must be MARKETING, UTILITY or AUTHENTICATION' }),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
  components: z.array(TemplateComponent, { error: 'required' }).min(1, 'at least a BODY component'),
});

/**
 * Checks a template before it is submitted, with Meta's rules: name, language, category, one BODY
 * (≤ 1024 characters), at most one HEADER (text ≤ 60) and FOOTER (≤ 60), at most 10 buttons, and an
 * example value for every parameter (Meta rejects a template without them). Positional parameters must
 * be `{{1}}`, `{{2}}`… in order; named ones need `parameter_format: "NAMED"`.
 */
export function validateNewTemplate(
  input: unknown,
): { ok: true; template: NewTemplate } | { ok: false; problems: TemplateProblem[] } {
  const parsed = Creation.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        path: formatPath(i.path),
        message: i.code === 'unrecognized_keys' ? `unknown field ${i.keys.join(', ')}` : i.message,
      })),
    };
  }
  const template = parsed.data as NewTemplate;
  const problems: TemplateProblem[] = [];
  const named = template.parameter_format === 'NAMED';
  const count = (type: string) => template.components.filter((c) => c.type.toUpperCase() === type).length;
  if (count('BODY') !== 1) problems.push({ path: '$.components', message: 'exactly one BODY component' });
  for (const type of ['HEADER', 'FOOTER', 'BUTTONS'])
    if (count(type) > 1) problems.push({ path: '$.components', message: `at most one ${type} component` });
  template.components.forEach((c, i) => {
    const at = `$.components[${i}]`;
    const type = c.type.toUpperCase();
    if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(type)) {
      problems.push({ path: `${at}.type`, message: 'must be HEADER, BODY, FOOTER or BUTTONS' });
      return;
    }
    if (type === 'BODY' || type === 'FOOTER' || (type === 'HEADER' && (c.format ?? 'TEXT') === 'TEXT')) {
      const max = type === 'BODY' ? 1024 : 60;
      if (!c.text?.trim()) problems.push({ path: `${at}.text`, message: 'required' });
      else if (c.text.length > max)
        problems.push({ path: `${at}.text`, message: `at most ${max} characters` });
    }
    if (type === 'FOOTER' && (placeholders(c.text).positional.length || placeholders(c.text).named.length))
      problems.push({ path: `${at}.text`, message: 'a footer cannot have parameters' });
    if (type === 'HEADER' || type === 'BODY') checkExamples(c, type, named, at, problems);
    if (type === 'BUTTONS') {
      const buttons = c.buttons ?? [];
      if (buttons.length === 0) problems.push({ path: `${at}.buttons`, message: 'at least one button' });
      if (buttons.length > 10) problems.push({ path: `${at}.buttons`, message: 'at most 10 buttons' });
      buttons.forEach((b, j) => {
        const bat = `${at}.buttons[${j}]`;
        if (!['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'OTP', 'COPY_CODE'].includes(b.type))
          problems.push({
            path: `${bat}.type`,
            message: 'must be QUICK_REPLY, URL, PHONE_NUMBER, OTP or COPY_CODE',
          });
        if (b.type !== 'OTP' && !b.text?.trim()) problems.push({ path: `${bat}.text`, message: 'required' });
        else if ((b.text?.length ?? 0) > 25)
          problems.push({ path: `${bat}.text`, message: 'at most 25 characters' });
        if (b.type === 'URL') {
          if (!b.url || !/^https?:\/\//.test(b.url))
            problems.push({ path: `${bat}.url`, message: 'must be an http(s) URL' });
          else if (placeholders(b.url).positional.length > 0 && !b.example?.length)
            problems.push({ path: `${bat}.example`, message: 'an example URL is required for {{1}}' });
        }
      });
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, template };
}

function checkExamples(
  c: TemplateComponent,
  type: 'HEADER' | 'BODY',
  named: boolean,
  at: string,
  problems: TemplateProblem[],
) {
  const found = placeholders(c.text);
  if (named) {
    if (found.positional.length)
      problems.push({ path: `${at}.text`, message: 'named templates use {{name}} parameters, not {{1}}' });
    const key = type === 'HEADER' ? 'header_text_named_params' : 'body_text_named_params';
    const given = new Set((c.example?.[key] ?? []).filter((e) => e.example.trim()).map((e) => e.param_name));
    for (const name of found.named)
      if (!given.has(name))
        problems.push({ path: `${at}.example.${key}`, message: `an example is required for {{${name}}}` });
    return;
  }
  if (found.named.length)
    problems.push({
      path: `${at}.text`,
      message: `{{${found.named[0]}}} is a named parameter: set parameter_format to NAMED`,
    });
  const numbers = found.positional;
  if (numbers.some((n, i) => n !== i + 1))
    problems.push({ path: `${at}.text`, message: 'positional parameters must be {{1}}, {{2}}… in order' });
  if (numbers.length === 0) return;
  const examples = type === 'HEADER' ? c.example?.header_text : c.example?.body_text?.[0];
  const key = type === 'HEADER' ? 'header_text' : 'body_text';
  // An empty example is no example: Meta's review needs a value to read.
  if ((examples?.filter((e) => e.trim()).length ?? 0) !== numbers.length)
    problems.push({
      path: `${at}.example.${key}`,
      message: `${numbers.length} example value(s) are required, one for each parameter`,
    });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    '$',
  );
}
