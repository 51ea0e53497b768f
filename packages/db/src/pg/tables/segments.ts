import { json, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SegmentFilter } from '../../segment-filter.js';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-segments.ts (see ../columns.ts for times).

/** A named filter; `filter` is the SegmentFilter JSON the server validated. */
export const segments = pgTable(
  'segments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    filter: json('filter').notNull().$type<SegmentFilter>(),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [uniqueIndex('segments_name_uq').on(t.name)],
);
