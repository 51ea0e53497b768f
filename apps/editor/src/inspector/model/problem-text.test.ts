import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemText } from './problem-text';

/** The message zod itself gives for a value, so the test follows zod's real wording. */
const messageOf = (schema: z.ZodType, value: unknown) =>
  schema.safeParse(value).error?.issues[0]?.message ?? '';

describe('problemText', () => {
  it('maps zod length, count, number and type messages to keys with their limits', () => {
    expect(problemText(messageOf(z.string().max(20), 'x'.repeat(21)))).toEqual({
      key: 'problem.tooLong',
      vars: { max: 20 },
    });
    expect(problemText(messageOf(z.string().min(1), ''))).toEqual({ key: 'problem.required', vars: {} });
    expect(problemText(messageOf(z.string(), undefined))).toEqual({ key: 'problem.required', vars: {} });
    expect(problemText(messageOf(z.array(z.string()).max(3), ['a', 'b', 'c', 'd']))).toEqual({
      key: 'problem.tooMany',
      vars: { max: 3 },
    });
    expect(problemText(messageOf(z.array(z.string()).min(1), []))).toEqual({
      key: 'problem.tooFew',
      vars: { min: 1 },
    });
    expect(problemText(messageOf(z.number().max(10), 11))).toEqual({ key: 'problem.max', vars: { max: 10 } });
    expect(problemText(messageOf(z.number().positive(), 0))).toEqual({
      key: 'problem.above',
      vars: { min: 0 },
    });
    expect(problemText(messageOf(z.number(), 'abc'))?.key).toBe('problem.type.number');
    expect(problemText(messageOf(z.enum(['a', 'b']), 'c'))?.key).toBe('problem.option');
  });

  it('explains the patterns of the node schemas', () => {
    const id = z.string().regex(/^[A-Za-z0-9_-]{1,60}$/);
    expect(problemText(messageOf(id, 'hola mundo'))?.key).toBe('problem.pattern.id');
    const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
    expect(problemText(messageOf(time, '9:00'))?.key).toBe('problem.pattern.time');
    expect(problemText(messageOf(z.string().regex(/^x+$/), 'y'))?.key).toBe('problem.pattern');
    expect(problemText('unknown property "extra"')).toEqual({
      key: 'problem.unknownProperty',
      vars: { name: 'extra' },
    });
    expect(problemText('name the tag')).toBeNull();
  });
});
