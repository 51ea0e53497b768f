import { defineNode, emit } from '@switchboard/engine';
import { z } from 'zod';
import { asText, fold, isEmpty, looselyEqual } from '../compare.js';
import { labels } from '../labels.js';

const Operator = z.enum([
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'greaterThan',
  'lessThan',
  'isEmpty',
  'isNotEmpty',
  'isTrue',
  'matchesRegex',
]);

const params = z
  .strictObject({
    left: z.unknown().describe('Value to test, e.g. {{ trigger.text }}'),
    operator: Operator.default('equals'),
    right: z.unknown().optional().describe('Value to compare with'),
    ignoreCase: z.boolean().default(true).describe('Ignore upper/lower case and accents'),
  })
  .refine(
    (p) => p.operator !== 'matchesRegex' || asText(p.right).includes('{{') || isValidRegex(asText(p.right)),
    {
      message: 'is not a valid regular expression',
      path: ['right'],
    },
  );

/** Compares two values and continues through `true` or `false`. */
export const ifCondition = defineNode({
  type: 'condition.if',
  category: 'condition',
  labels: labels(
    ['If', 'Compares two values and continues through "true" or "false".'],
    ['Si', 'Compara dos valores y continúa por "verdadero" o "falso".'],
  ),
  params,
  outputs: ['true', 'false'],
  execute: (ctx) => emit(test(ctx.params) ? 'true' : 'false', ctx.input),
});

function test({ left, operator, right, ignoreCase }: z.output<typeof params>): boolean {
  const text = (v: unknown) => (ignoreCase ? fold(asText(v)) : asText(v));
  switch (operator) {
    case 'equals':
      return looselyEqual(left, right, ignoreCase);
    case 'notEquals':
      return !looselyEqual(left, right, ignoreCase);
    case 'contains':
      return Array.isArray(left)
        ? left.some((v) => looselyEqual(v, right, ignoreCase))
        : text(left).includes(text(right));
    case 'notContains':
      return Array.isArray(left)
        ? !left.some((v) => looselyEqual(v, right, ignoreCase))
        : !text(left).includes(text(right));
    case 'startsWith':
      return text(left).startsWith(text(right));
    case 'endsWith':
      return text(left).endsWith(text(right));
    case 'greaterThan':
      return Number(left) > Number(right);
    case 'lessThan':
      return Number(left) < Number(right);
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
    case 'isTrue':
      return left === true || ['true', '1', 'yes', 'si', 'sí'].includes(fold(asText(left)));
    case 'matchesRegex':
      return new RegExp(asText(right), ignoreCase ? 'iu' : 'u').test(asText(left));
  }
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
