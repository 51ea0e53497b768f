import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// WhatsApp message templates (docs/whatsapp.md, "Templates"): each channel's copy of its business
// account's templates, synced from Meta and kept current by status webhooks. Times are ISO-8601 UTC.

/** One template in one language, as the channel's WhatsApp Business Account has it. */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    id: text('id').primaryKey(),
    channelId: text('channel_id').notNull(),
    wabaId: text('waba_id').notNull(),
    /** Meta's template id. */
    providerId: text('provider_id').notNull(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    /** MARKETING, UTILITY or AUTHENTICATION. */
    category: text('category').notNull(),
    /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED, … as Meta last said. */
    status: text('status').notNull(),
    /** POSITIONAL or NAMED. */
    parameterFormat: text('parameter_format').notNull().default('POSITIONAL'),
    /** Meta's components (HEADER, BODY, FOOTER, BUTTONS), as listed. */
    components: text('components', { mode: 'json' }).notNull().$type<unknown[]>(),
    /** GREEN, YELLOW, RED or UNKNOWN. */
    quality: text('quality'),
    rejectedReason: text('rejected_reason'),
    lastSyncedAt: text('last_synced_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('message_templates_provider_uq').on(t.channelId, t.providerId),
    index('message_templates_name_idx').on(t.channelId, t.name, t.language),
    index('message_templates_provider_idx').on(t.providerId),
  ],
);

/** Each channel's last template sync: when it last succeeded (null until it has) and its last error. */
export const templateSyncs = sqliteTable('template_syncs', {
  channelId: text('channel_id').primaryKey(),
  wabaId: text('waba_id').notNull(),
  syncedAt: text('synced_at'),
  attemptedAt: text('attempted_at').notNull(),
  lastError: text('last_error'),
});
