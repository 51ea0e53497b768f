import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// CRM timeline sync (docs/integrations.md): per channel, which CRM logs its WhatsApp messages, and one
// sync record per message. Times are ISO-8601 UTC strings, as in ./schema.ts.

/** A channel's CRM timeline sync: the CRM, the stored credential (by name) and how messages are logged. */
export const crmSyncSettings = sqliteTable('crm_sync_settings', {
  channel: text('channel').primaryKey(),
  /** `hubspot` or `bitrix24`. */
  provider: text('provider').notNull(),
  /** The name of a stored credential of the provider's type. */
  credential: text('credential').notNull(),
  /** HubSpot only: `note` or `communication` (a WhatsApp communication); Bitrix24 writes timeline comments. */
  logAs: text('log_as').notNull().default('note'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One WhatsApp message owed to a channel's CRM timeline. The unique key (channel, message id) is what
 * makes the sync idempotent: a webhook Meta sends twice, a status that arrives after another, or a
 * replay finds the row there and adds nothing. `messageId` is Meta's wamid for inbound messages and
 * the outbox id for ours.
 */
export const crmSyncRecords = sqliteTable(
  'crm_sync_records',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    /** `in` (the customer wrote) or `out` (we sent). */
    direction: text('direction').notNull(),
    waId: text('wa_id').notNull(),
    /** The customer's profile name when known (used when the CRM contact has to be created). */
    name: text('name'),
    /** The line written on the timeline (without the direction prefix). */
    text: text('text').notNull(),
    /** When the message was sent or received. */
    messageAt: text('message_at').notNull(),
    provider: text('provider').notNull(),
    /** pending, syncing (claimed), synced, dead (out of retries or refused; replayable) or skipped. */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    claimExpiresAt: text('claim_expires_at'),
    firstAttemptAt: text('first_attempt_at'),
    lastError: text('last_error'),
    /** The CRM's contact id, kept once found or created so a retry never creates a second contact. */
    crmContactId: text('crm_contact_id'),
    contactCreated: integer('contact_created', { mode: 'boolean' }).notNull().default(false),
    /** The CRM's id of the note, communication or timeline comment written. */
    crmRecordId: text('crm_record_id'),
    createdAt: text('created_at').notNull(),
    syncedAt: text('synced_at'),
  },
  (t) => [
    uniqueIndex('crm_sync_records_message_uq').on(t.channel, t.messageId),
    index('crm_sync_records_due_idx').on(t.status, t.nextAttemptAt),
    index('crm_sync_records_list_idx').on(t.channel, t.createdAt),
  ],
);
