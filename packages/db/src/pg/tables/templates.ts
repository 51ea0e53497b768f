import { index, json, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-templates.ts (see ../columns.ts for times).

export const messageTemplates = pgTable(
  'message_templates',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    wabaId: text('waba_id').notNull(),
    providerId: text('provider_id').notNull(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    category: text('category').notNull(),
    status: text('status').notNull(),
    parameterFormat: text('parameter_format').notNull().default('POSITIONAL'),
    components: json('components').notNull().$type<unknown[]>(),
    quality: text('quality'),
    rejectedReason: text('rejected_reason'),
    lastSyncedAt: isoTime('last_synced_at'),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('message_templates_provider_uq').on(t.channelId, t.providerId),
    index('message_templates_name_idx').on(t.channelId, t.name, t.language),
    index('message_templates_provider_idx').on(t.providerId),
  ],
);

export const templateSyncs = pgTable('template_syncs', {
  channelId: text('channel_id').primaryKey(),
  wabaId: text('waba_id').notNull(),
  syncedAt: isoTime('synced_at'),
  attemptedAt: isoTime('attempted_at').notNull(),
  lastError: text('last_error'),
});
