import { defineNode, emit, type Json, NodeError } from '@switchboard/engine';
import { TimeZone } from '@switchboard/flow-schema';
import { z } from 'zod';
import { looselyEqual } from '../compare.js';
import { customerMessage } from '../customer.js';
import { errorResult } from '../http-call.js';
import { labels } from '../labels.js';
import { localTime, toMinutes, WEEKDAYS } from '../local-time.js';
import { keywordMatches, messageText } from '../text-match.js';
import { replyIdOf } from './reply-condition.js';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, e.g. 09:00');

/**
 * One rule. A flat object with a `kind` (rather than a union per kind) because the editor draws a list
 * of objects as cards; the fields a kind needs are checked below.
 */
const Rule = z
  .strictObject({
    kind: z
      .enum(['keyword', 'button', 'value', 'time'])
      .describe('What the rule looks at: words in the message, the button chosen, a value, or the time'),
    team: z.string().min(1, 'name the team (its id or name)').describe('Team id or name, e.g. billing'),
    keywords: z
      .array(z.string().min(1))
      .optional()
      .describe('For "keyword": words in the customer’s message, e.g. factura, facturación, invoice'),
    match: z
      .enum(['word', 'contains'])
      .optional()
      .describe('For "keyword": whole words (default), or anywhere in the text'),
    ids: z
      .array(z.string().min(1))
      .optional()
      .describe('For "button": the button, list row or quick-reply ids that go to this team'),
    value: z
      .unknown()
      .optional()
      .describe(
        'For "value": what to compare, e.g. {{ contact.attributes.tier }} or {{ vars.hubspot.properties.tier }}',
      ),
    equals: z
      .array(z.string())
      .optional()
      .describe('For "value": the values that go to this team (case and accents ignored)'),
    days: z.array(z.enum(WEEKDAYS)).optional().describe('For "time": the days (default: every day)'),
    from: Time.optional().describe('For "time": from HH:MM'),
    to: Time.or(z.literal('24:00')).optional().describe('For "time": until HH:MM'),
    timezone: TimeZone.optional().describe('For "time": defaults to the flow’s time zone'),
  })
  .superRefine((rule, ctx) => {
    const need = (ok: boolean, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (rule.kind === 'keyword')
      need((rule.keywords?.length ?? 0) > 0, 'keywords', 'add at least one keyword');
    if (rule.kind === 'button')
      need((rule.ids?.length ?? 0) > 0, 'ids', 'add at least one button or list id');
    if (rule.kind === 'value')
      need((rule.equals?.length ?? 0) > 0, 'equals', 'add the values to compare with');
    if (rule.kind === 'time') {
      need(rule.from !== undefined, 'from', 'set the start time (HH:MM)');
      need(rule.to !== undefined, 'to', 'set the end time (HH:MM)');
      if (rule.from && rule.to)
        need(
          toMinutes(rule.from) < toMinutes(rule.to),
          'to',
          '"to" must be after "from" (split overnight hours in two rules)',
        );
    }
  });
type Rule = z.output<typeof Rule>;

/** Why a rule matched, in a few words for the execution view; null when it did not. */
function ruleMatch(
  rule: Rule,
  at: { message: Record<string, unknown> | null; now: Date; timezone: string },
): string | null {
  switch (rule.kind) {
    case 'keyword': {
      const text = messageText(at.message);
      const match = rule.match ?? 'word';
      const hit = (rule.keywords ?? []).find((k) =>
        keywordMatches({ text, keywords: [k], mode: 'any', match }),
      );
      return hit === undefined ? null : `keyword "${hit}"`;
    }
    case 'button': {
      const id = replyIdOf(at.message);
      return id !== null && (rule.ids ?? []).includes(id) ? `button "${id}"` : null;
    }
    case 'value': {
      const values = Array.isArray(rule.value) ? rule.value : [rule.value];
      const hit = (rule.equals ?? []).find((e) =>
        values.some((v) => v !== undefined && v !== null && looselyEqual(v, e, true)),
      );
      return hit === undefined ? null : `value "${hit}"`;
    }
    case 'time': {
      const local = localTime(at.now, rule.timezone ?? at.timezone);
      const from = toMinutes(rule.from ?? '00:00');
      const to = toMinutes(rule.to ?? '24:00');
      const onDay = !rule.days || rule.days.length === 0 || rule.days.includes(local.weekday);
      return onDay && local.minutes >= from && local.minutes < to ? `time ${rule.from}–${rule.to}` : null;
    }
  }
}

/**
 * Picks the team for a conversation: the first rule that matches wins (words in the customer's message,
 * the button they chose, a value such as their CRM tier, or the time of day), else the fallback team.
 * The team is checked with the routing service, so a typo fails here, naming the rule, not later. The
 * output keeps what came in (the customer's message) and adds `team`, `rule` (its index, from 0; null
 * for the fallback) and `reason`.
 */
export const routeNode = defineNode({
  type: 'routing.route',
  category: 'routing',
  labels: labels(
    [
      'Route to team',
      'Chooses a team by keywords, the button chosen, a value such as the CRM tier, or the time of day.',
    ],
    [
      'Derivar a equipo',
      'Elige un equipo según palabras clave, el botón elegido, un dato como el nivel del cliente en el CRM o la hora.',
    ],
  ),
  params: z.strictObject({
    rules: z
      .array(Rule)
      .min(1, 'add at least one rule')
      .describe('Checked in order: the first that matches wins'),
    fallbackTeam: z
      .string()
      .min(1)
      .optional()
      .describe('When no rule matches (without it, the run goes on through "noMatch")'),
  }),
  outputs: ['out', 'noMatch', 'error'],
  execute: async (ctx) => {
    const routing = ctx.services.routing;
    if (!routing)
      throw new NodeError('this host has no routing service (teams and agents)', { retryable: false });
    const { rules, fallbackTeam } = ctx.params;
    const at = { message: customerMessage(ctx.input, ctx.trigger), now: ctx.now(), timezone: ctx.timezone };
    let chosen: { team: string; rule: number | null; reason: string } | null = null;
    for (const [i, rule] of rules.entries()) {
      const reason = ruleMatch(rule, at);
      if (reason !== null) {
        chosen = { team: rule.team, rule: i, reason };
        break;
      }
    }
    if (!chosen && fallbackTeam) chosen = { team: fallbackTeam, rule: null, reason: 'fallback' };
    if (!chosen) return emit('noMatch', ctx.input);

    const team = await routing.team({ team: chosen.team });
    if (!team) {
      const which =
        chosen.rule === null ? 'the fallback team' : `rule ${chosen.rule + 1} (${rules[chosen.rule]!.kind})`;
      return errorResult({
        reason: 'unknown_team',
        message: `${which} names team "${chosen.team}", which does not exist`,
        body: { team: chosen.team, rule: chosen.rule },
      });
    }
    const routed = { team: { id: team.id, name: team.name }, rule: chosen.rule, reason: chosen.reason };
    const input = ctx.input;
    const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
    const base = isObject ? input : input === null ? {} : { input };
    return emit('out', { ...base, ...routed } as Json);
  },
});
