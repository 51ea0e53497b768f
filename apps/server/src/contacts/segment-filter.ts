import type { SegmentFilter as StoredFilter } from '@switchboard/db';
import { z } from 'zod';

// The zod schema of a segment's filter (docs/contacts.md): what POST/PATCH /api/segments and the export
// accept, checked before anything is stored or queried.

const Tag = z.string().trim().min(1).max(60);
const Tags = z.array(Tag).min(1).max(50);
/** Keys become JSON paths: letters, digits, `_` and `-` only. */
const AttributeKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,60}$/, 'an attribute key: letters, digits, _ and - (60 at most)');
const Country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'an ISO 3166 country code: two letters, e.g. ES')
  .transform((c) => c.toUpperCase());
const Days = z.number().int().min(0).max(3650);

export const AttributeCondition = z.discriminatedUnion('op', [
  z.strictObject({
    key: AttributeKey,
    op: z.enum(['equals', 'not_equals']),
    value: z.union([z.string().max(200), z.number(), z.boolean()]),
  }),
  z.strictObject({ key: AttributeKey, op: z.enum(['exists', 'not_exists']) }),
  z.strictObject({ key: AttributeKey, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
]);

export const SegmentFilter = z
  .strictObject({
    tags: z.strictObject({ all: Tags.optional(), any: Tags.optional(), none: Tags.optional() }).optional(),
    attributes: z.array(AttributeCondition).max(20).optional(),
    country: z
      .strictObject({
        in: z.array(Country).min(1).max(250).optional(),
        notIn: z.array(Country).min(1).max(250).optional(),
      })
      .optional(),
    optedIn: z
      .enum(['all', 'marketing', 'utility'])
      .optional()
      .describe(
        'only contacts a template of this category may be sent to: opted in, and opted out of neither',
      ),
    lastInteraction: z
      .strictObject({ withinDays: Days.optional(), olderThanDays: Days.optional() })
      .optional()
      .describe('last inbound message within N days, or older than N days (never counts as older)'),
    channel: z.string().max(100).optional(),
  })
  .refine((f) => !(f.country?.in && f.country.notIn), {
    message: 'give country.in or country.notIn, not both',
    path: ['country'],
  }) satisfies z.ZodType<StoredFilter>;
export type SegmentFilter = z.output<typeof SegmentFilter>;
