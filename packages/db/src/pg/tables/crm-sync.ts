import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { isoTime } from '../columns.js';

// Postgres tables of this area, mirroring ../../schema-crm-sync.ts (see ../columns.ts for times).

/** A channel's CRM timeline sync: the CRM, the stored credential (by name) and how messages are logged. */
export const crmSyncSettings = pgTable('crm_sync_settings', {
  channel: text('channel').primaryKey(),
  provider: text('provider').notNull(),
  credential: text('credential').notNull(),
  logAs: text('log_as').notNull().default('note'),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: isoTime('created_at').notNull(),
  updatedAt: isoTime('updated_at').notNull(),
});

/** One WhatsApp message owed to a channel's CRM timeline; unique per (channel, message id). */
export const crmSyncRecords = pgTable(
  'crm_sync_records',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    direction: text('direction').notNull(),
    waId: text('wa_id').notNull(),
    name: text('name'),
    text: text('text').notNull(),
    messageAt: isoTime('message_at').notNull(),
    provider: text('provider').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: isoTime('next_attempt_at'),
    claimExpiresAt: isoTime('claim_expires_at'),
    firstAttemptAt: isoTime('first_attempt_at'),
    lastError: text('last_error'),
    crmContactId: text('crm_contact_id'),
    contactCreated: boolean('contact_created').notNull().default(false),
    crmRecordId: text('crm_record_id'),
    createdAt: isoTime('created_at').notNull(),
    syncedAt: isoTime('synced_at'),
  },
  (t) => [
    uniqueIndex('crm_sync_records_message_uq').on(t.channel, t.messageId),
    index('crm_sync_records_due_idx').on(t.status, t.nextAttemptAt),
    index('crm_sync_records_list_idx').on(t.channel, t.createdAt),
  ],
);
