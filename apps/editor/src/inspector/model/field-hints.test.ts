import { describe, expect, it } from 'vitest';
import { hintFor, isShown, RULE_FIELDS_BY_KIND } from './field-hints';
import { type ObjectModel, paramsModel } from './field-model';

// `routing.route`'s params as `GET /api/node-types` describes them (trimmed to what the form reads).
const TIME = { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' };
const routeSchema = {
  type: 'object',
  properties: {
    rules: {
      minItems: 1,
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['keyword', 'button', 'value', 'time'] },
          team: { type: 'string', minLength: 1 },
          keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
          match: { type: 'string', enum: ['word', 'contains'] },
          ids: { type: 'array', items: { type: 'string', minLength: 1 } },
          value: {},
          equals: { type: 'array', items: { type: 'string' } },
          days: { type: 'array', items: { type: 'string', enum: ['sun', 'mon', 'tue'] } },
          from: TIME,
          to: { anyOf: [TIME, { type: 'string', const: '24:00' }] },
          timezone: { type: 'string' },
        },
        required: ['kind', 'team'],
        additionalProperties: false,
      },
    },
    fallbackTeam: { type: 'string', minLength: 1 },
  },
  required: ['rules'],
  additionalProperties: false,
};

function ruleModel(): ObjectModel {
  const rules = paramsModel(routeSchema, 'routing.route').fields.find((f) => f.key === 'rules');
  if (rules?.kind !== 'list') throw new Error('rules is a list');
  return rules.item;
}

/** The fields a rule card shows for this rule, as ObjectFields decides (before values and problems). */
const shownFor = (rule: Record<string, unknown>) =>
  ruleModel()
    .fields.filter((f) => isShown(f.hint, rule, {}))
    .map((f) => f.key);

describe('route rule cards', () => {
  it.each([
    ['keyword', ['kind', 'team', 'keywords', 'match']],
    ['button', ['kind', 'team', 'ids']],
    ['value', ['kind', 'team', 'value', 'equals']],
    ['time', ['kind', 'team', 'days', 'from', 'to', 'timezone']],
  ])('a "%s" rule shows only its fields', (kind, fields) => {
    expect(shownFor({ kind, team: 'billing' })).toEqual(fields);
  });

  it('a rule without a kind yet shows the kind and the team', () => {
    expect(shownFor({})).toEqual(['kind', 'team']);
  });

  it('every field of a rule is either always shown or belongs to exactly one kind', () => {
    const byKind = Object.values(RULE_FIELDS_BY_KIND).flat();
    expect(new Set(byKind).size).toBe(byKind.length);
    const always = ruleModel()
      .fields.map((f) => f.key)
      .filter((k) => !byKind.includes(k as never));
    expect(always).toEqual(['kind', 'team']);
  });

  it('marks what each kind needs as required while shown, and starts new rules as keyword rules', () => {
    const required = (key: string) =>
      hintFor('routing.route', `rules.${key}`, key).requiredWhenShown === true;
    expect(['keywords', 'ids', 'equals', 'from', 'to'].every(required)).toBe(true);
    expect(['match', 'value', 'days', 'timezone'].some(required)).toBe(false);
    expect(hintFor('routing.route', 'rules', 'rules').newItem).toEqual({ kind: 'keyword' });
  });

  it('keeps the widgets the field names imply: time zone, times and the team picker', () => {
    const fields = Object.fromEntries(ruleModel().fields.map((f) => [f.key, f.format]));
    expect(fields).toMatchObject({ team: 'team', timezone: 'timezone', from: 'time', to: 'time' });
  });
});

describe('team fields', () => {
  it.each([
    ['routing.route', 'fallbackTeam', 'fallbackTeam'],
    ['routing.route', 'rules.team', 'team'],
    ['routing.assign', 'team', 'team'],
    ['routing.assign', 'escalateToTeam', 'escalateToTeam'],
    ['notify.slack', 'team', 'team'],
  ])('%s %s gets the team picker', (nodeType, path, key) => {
    expect(hintFor(nodeType, path, key).format).toBe('team');
  });
});
