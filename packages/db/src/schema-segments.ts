import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { SegmentFilter } from './segment-filter.js';

// Saved contact segments (docs/contacts.md): a named filter over contacts that campaigns resolve later.
// Times are ISO-8601 UTC strings, as in ./schema.ts.

/** A named filter; `filter` is the SegmentFilter JSON the server validated. */
export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    filter: text('filter', { mode: 'json' }).notNull().$type<SegmentFilter>(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('segments_name_uq').on(t.name)],
);
