import { describe, expect, it } from 'vitest';
import { type FieldModel, type ObjectModel, paramsModel, switchVariant, variantIndex } from './field-model';

const field = (model: ObjectModel, key: string): FieldModel => {
  const f = model.fields.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key}`);
  return f;
};

const sendButtons = {
  type: 'object',
  properties: {
    to: { default: '{{ trigger.waId }}', type: 'string' },
    body: { type: 'string', minLength: 1, maxLength: 1024 },
    buttons: {
      minItems: 1,
      maxItems: 3,
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,60}$' },
          title: { type: 'string', maxLength: 20 },
        },
        required: ['id', 'title'],
      },
    },
  },
  required: ['body', 'buttons'],
};

describe('paramsModel', () => {
  it('turns strings, limits, defaults and required into text fields', () => {
    const m = paramsModel(sendButtons, 'whatsapp.sendButtons');
    const body = field(m, 'body');
    expect(body).toMatchObject({ kind: 'text', required: true, maxLength: 1024, multiline: true });
    expect(field(m, 'to')).toMatchObject({ kind: 'text', required: false, default: '{{ trigger.waId }}' });
    expect(field(m, 'to').hint.advanced).toBe(true);
  });

  it('makes arrays of objects repeatable cards with their own limits and hints', () => {
    const buttons = field(paramsModel(sendButtons, 'whatsapp.sendButtons'), 'buttons');
    expect(buttons).toMatchObject({ kind: 'list', minItems: 1, maxItems: 3 });
    if (buttons.kind !== 'list') throw new Error('list');
    expect(buttons.item.fields.map((f) => [f.key, f.schemaPath, f.required])).toEqual([
      ['id', 'buttons.id', true],
      ['title', 'buttons.title', true],
    ]);
    expect(buttons.hint.unique).toEqual(['id', 'title']);
    expect(buttons.item.fields[1]).toMatchObject({ kind: 'text', maxLength: 20, multiline: false });
  });

  it('reads enums, enum arrays, string arrays, numbers, booleans and records', () => {
    const m = paramsModel(
      {
        type: 'object',
        properties: {
          mode: { default: 'any', type: 'string', enum: ['any', 'all'] },
          messageTypes: { type: 'array', items: { type: 'string', enum: ['text', 'image'] } },
          keywords: { minItems: 1, type: 'array', items: { type: 'string', minLength: 1 } },
          timeoutMs: { default: 1000, type: 'integer', minimum: 10, maximum: 30000 },
          amount: { type: 'number', exclusiveMinimum: 0 },
          ignoreCase: { default: true, type: 'boolean' },
          payload: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} },
          left: { description: 'Value to test' },
        },
      },
      'x.y',
    );
    expect(field(m, 'mode')).toMatchObject({ kind: 'enum', options: ['any', 'all'], default: 'any' });
    expect(field(m, 'messageTypes')).toMatchObject({ kind: 'multiEnum', options: ['text', 'image'] });
    expect(field(m, 'keywords')).toMatchObject({ kind: 'tags', ordered: false, minItems: 1 });
    expect(field(m, 'timeoutMs')).toMatchObject({ kind: 'number', integer: true, min: 10, max: 30000 });
    expect(field(m, 'amount')).toMatchObject({ kind: 'number', integer: false, min: 0, exclusiveMin: true });
    expect(field(m, 'ignoreCase')).toMatchObject({ kind: 'boolean', default: true });
    expect(field(m, 'payload')).toMatchObject({ kind: 'record' });
    expect(field(m, 'left')).toMatchObject({ kind: 'any', description: 'Value to test' });
  });

  it('uses widgets for times, dates, date-times, time zones, cron and business hours', () => {
    const m = paramsModel(
      {
        type: 'object',
        properties: {
          time: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
          until: { type: 'string', format: 'date-time', pattern: '^…$' },
          timezone: { type: 'string' },
          holidays: { type: 'array', items: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
        },
      },
      'flow.delay',
    );
    expect(field(m, 'time').format).toBe('time');
    expect(field(m, 'until').format).toBe('datetime');
    expect(field(m, 'timezone').format).toBe('timezone');
    const holidays = field(m, 'holidays');
    expect(holidays.kind === 'tags' && holidays.item.format).toBe('date');
    const cron = paramsModel(
      { type: 'object', properties: { cron: { type: 'string' } } },
      'trigger.schedule',
    );
    expect(field(cron, 'cron').format).toBe('cron');
    const hours = paramsModel(
      {
        type: 'object',
        properties: { schedule: { type: 'array', items: { type: 'object', properties: {} } } },
      },
      'condition.businessHours',
    );
    expect(field(hours, 'schedule').format).toBe('weekHours');
  });

  it('merges string-only unions ("HH:MM" or "24:00") into one text field', () => {
    const m = paramsModel(
      {
        type: 'object',
        properties: {
          to: {
            anyOf: [
              { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
              { type: 'string', const: '24:00' },
            ],
          },
        },
      },
      'x',
    );
    expect(field(m, 'to')).toMatchObject({ kind: 'text', format: 'time' });
  });

  it('turns other unions into a variant switch, discriminated unions by their tag', () => {
    const m = paramsModel(
      {
        type: 'object',
        properties: {
          equals: { description: 'd', anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
          target: {
            oneOf: [
              {
                type: 'object',
                properties: { kind: { type: 'string', const: 'url' }, url: { type: 'string' } },
              },
              {
                type: 'object',
                properties: { kind: { type: 'string', const: 'flow' }, flowId: { type: 'string' } },
              },
            ],
          },
        },
      },
      'x',
    );
    const equals = field(m, 'equals');
    if (equals.kind !== 'variant') throw new Error('variant');
    expect(equals.description).toBe('d');
    expect(equals.variants.map((v) => v.label)).toEqual(['string', 'number', 'boolean']);
    expect(variantIndex(equals, 3)).toBe(1);
    expect(variantIndex(equals, true)).toBe(2);
    expect(variantIndex(equals, undefined)).toBe(0);
    expect(switchVariant(equals, '12', 1)).toBe(12);
    expect(switchVariant(equals, 12, 0)).toBe('12');

    const target = field(m, 'target');
    if (target.kind !== 'variant') throw new Error('variant');
    expect(target.variants.map((v) => v.discriminator)).toEqual([
      { key: 'kind', value: 'url' },
      { key: 'kind', value: 'flow' },
    ]);
    expect(variantIndex(target, { kind: 'flow', flowId: 'a' })).toBe(1);
    expect(switchVariant(target, { kind: 'url', url: 'x' }, 1)).toEqual({ kind: 'flow', url: 'x' });
  });

  it('gives an empty form for a schema that is not an object', () => {
    expect(paramsModel(null, 'x').fields).toEqual([]);
  });
});
