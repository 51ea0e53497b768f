import type { OutboundMessageOf } from '../outbound/message-schema.js';
import { type MessageTemplate, placeholders, type TemplateComponent } from './definition.js';

/** Why a template send was refused before reaching Meta (Meta's own codes in brackets). */
export type TemplateRefusalReason =
  /** No template by that name on the channel's account (132001). */
  | 'template_unknown'
  /** The name exists, but not in that language (132001). */
  | 'template_language'
  /** Pending, rejected, paused (132015) or disabled (132016): only APPROVED templates can be sent. */
  | 'template_not_approved'
  /** Parameters missing, extra or of the wrong kind (132000 / 132012). */
  | 'template_params';

export interface TemplateParamProblem {
  /** Where in the send, e.g. `$.body.params[2]` or `$.buttons[0]`. */
  path: string;
  message: string;
}

export type TemplateSendCheck =
  | { ok: true; template: MessageTemplate }
  | { ok: false; reason: TemplateRefusalReason; message: string; problems: TemplateParamProblem[] };

type TemplateSend = Pick<OutboundMessageOf<'template'>, 'name' | 'language' | 'header' | 'body' | 'buttons'>;

const component = (t: MessageTemplate, type: string): TemplateComponent | undefined =>
  t.components.find((c) => c.type.toUpperCase() === type);

/**
 * Checks a template send against the account's templates: the name, the language, APPROVED status, and
 * every parameter (header, body and buttons, positional or named): what is missing, extra or of the
 * wrong kind, each problem naming the template and the parameter. `templates` are the channel's
 * templates (every language).
 */
export function checkTemplateSend(
  templates: readonly MessageTemplate[],
  send: TemplateSend,
): TemplateSendCheck {
  const label = `template "${send.name}" (${send.language})`;
  const named = templates.filter((t) => t.name === send.name);
  if (named.length === 0)
    return refuse('template_unknown', `no template named "${send.name}" on this channel's account`);
  const template = named.find((t) => t.language === send.language);
  if (!template) {
    const have = named.map((t) => t.language).join(', ');
    return refuse(
      'template_language',
      `template "${send.name}" has no "${send.language}" language (it has ${have})`,
    );
  }
  if (template.status !== 'APPROVED')
    return refuse(
      'template_not_approved',
      `${label} is ${template.status}: only APPROVED templates can be sent`,
    );
  const problems = parameterProblems(template, send);
  if (problems.length === 0) return { ok: true, template };
  return {
    ok: false,
    reason: 'template_params',
    message: `${label}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    problems,
  };
}

function refuse(reason: TemplateRefusalReason, message: string): TemplateSendCheck {
  return { ok: false, reason, message, problems: [{ path: '$.name', message }] };
}

/** What a template's parameters expect, in the order a form asks for them (the editor's picker uses it). */
export interface TemplateSlots {
  header: { kind: 'none' } | { kind: 'text'; params: string[] } | { kind: 'media'; format: string };
  /** Positional: ['1', '2', …]; named: the parameter names. */
  body: string[];
  named: boolean;
  /** Buttons that take a parameter (URL with {{1}}) or may take a payload (quick replies). */
  buttons: Array<{ index: number; type: 'url' | 'quick_reply'; text: string; needsParam: boolean }>;
}

export function templateSlots(template: MessageTemplate): TemplateSlots {
  const header = component(template, 'HEADER');
  const body = component(template, 'BODY');
  const buttons = component(template, 'BUTTONS')?.buttons ?? [];
  const namedFormat = template.parameter_format === 'NAMED';
  const names = (c: TemplateComponent | undefined) => {
    const found = placeholders(c?.text);
    return namedFormat ? unique(found.named) : unique(found.positional.map(String));
  };
  const format = (header?.format ?? 'TEXT').toUpperCase();
  return {
    header: !header
      ? { kind: 'none' }
      : format === 'TEXT'
        ? { kind: 'text', params: names(header) }
        : { kind: 'media', format: format.toLowerCase() },
    body: names(body),
    named: namedFormat,
    buttons: buttons.flatMap((b, index): TemplateSlots['buttons'] => {
      const type = b.type.toUpperCase();
      if (type === 'QUICK_REPLY')
        return [{ index, type: 'quick_reply', text: b.text ?? '', needsParam: false }];
      if (type === 'URL' || type === 'OTP' || type === 'COPY_CODE') {
        const needsParam = type !== 'URL' || placeholders(b.url).positional.length > 0;
        return needsParam ? [{ index, type: 'url', text: b.text ?? '', needsParam }] : [];
      }
      return [];
    }),
  };
}

function parameterProblems(template: MessageTemplate, send: TemplateSend): TemplateParamProblem[] {
  const slots = templateSlots(template);
  const problems: TemplateParamProblem[] = [];
  // Header.
  if (slots.header.kind === 'none') {
    if (send.header) problems.push({ path: '$.header', message: 'the template has no header parameters' });
  } else if (slots.header.kind === 'text') {
    const expected = slots.header.params.length;
    if (expected === 0 && send.header)
      problems.push({ path: '$.header', message: 'the template header has no parameters' });
    else if (expected > 0) {
      if (send.header?.type !== 'text')
        problems.push({
          path: '$.header',
          message: `missing: the header needs ${expected} text parameter(s)`,
        });
      else countProblems('$.header.params', send.header.params.length, expected, 'header', problems);
    }
  } else if (send.header?.type !== slots.header.format) {
    problems.push({ path: '$.header', message: `missing: the header needs a ${slots.header.format}` });
  }
  // Body.
  const given = send.body?.params ?? [];
  if (slots.named) {
    const names = given.map((p) => (typeof p === 'string' ? null : p.name));
    if (given.length > 0 && names.includes(null))
      problems.push({
        path: '$.body.params',
        message: `named parameters are expected: ${slots.body.join(', ')}`,
      });
    else {
      for (const name of slots.body)
        if (!names.includes(name))
          problems.push({ path: '$.body.params', message: `missing parameter "${name}"` });
      names.forEach((name, i) => {
        if (name !== null && !slots.body.includes(name))
          problems.push({ path: `$.body.params[${i}]`, message: `unknown parameter "${name}"` });
      });
    }
  } else {
    const namedGiven = given.findIndex((p) => typeof p !== 'string');
    if (namedGiven >= 0)
      problems.push({
        path: `$.body.params[${namedGiven}]`,
        message: 'the template takes positional parameters {{1}}, {{2}}…',
      });
    else countProblems('$.body.params', given.length, slots.body.length, 'body', problems);
  }
  // Buttons.
  const byIndex = new Map(slots.buttons.map((b) => [b.index, b]));
  (send.buttons ?? []).forEach((b, i) => {
    const slot = byIndex.get(b.index);
    if (!slot)
      problems.push({
        path: `$.buttons[${i}]`,
        message: `the template has no button ${b.index} that takes a parameter`,
      });
    else if (slot.type !== b.subType)
      problems.push({
        path: `$.buttons[${i}].subType`,
        message: `button ${b.index} is a ${slot.type} button`,
      });
  });
  for (const slot of slots.buttons)
    if (slot.needsParam && !(send.buttons ?? []).some((b) => b.index === slot.index))
      problems.push({
        path: '$.buttons',
        message: `missing: button ${slot.index} ("${slot.text}") needs its URL parameter`,
      });
  return problems;
}

function countProblems(
  path: string,
  given: number,
  expected: number,
  where: string,
  problems: TemplateParamProblem[],
) {
  if (given < expected)
    problems.push({
      path,
      message: `missing: the ${where} takes ${expected} parameter(s), ${given} given (no value for {{${given + 1}}})`,
    });
  else if (given > expected)
    problems.push({
      path: `${path}[${expected}]`,
      message: `extra: the ${where} takes ${expected} parameter(s), ${given} given`,
    });
}

const unique = <T>(values: T[]) => [...new Set(values)];
