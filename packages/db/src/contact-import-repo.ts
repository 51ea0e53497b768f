import { inArray, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import type { Consent, Contact, ContactRow } from './contact-repo.js';
import { contacts } from './schema.js';

/** One contact as a CSV import writes it: every field final (the server merged it with what was there). */
export interface ImportedContact {
  /** Used only when the contact is new. */
  id: string;
  channel: string;
  waId: string;
  name: string | null;
  phone: string;
  country: string | null;
  consent: Consent;
  attributes: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
}

/**
 * Contacts read and written a batch at a time, for CSV imports (a statement per batch, not per row:
 * 100,000 rows would otherwise be 500,000 round trips on Postgres).
 */
export class ContactImportRepository {
  constructor(private readonly db: Db) {}

  /** The contacts with these WhatsApp ids on any channel (the caller matches the channel). */
  getMany(waIds: readonly string[]): Contact[] {
    if (waIds.length === 0) return [];
    return this.db
      .select()
      .from(contacts)
      .where(inArray(contacts.waId, [...waIds]))
      .all()
      .map(toContact);
  }

  /** Inserts new contacts and overwrites the imported fields of existing ones (by channel and id). */
  upsertMany(rows: readonly ImportedContact[], at: string): void {
    if (rows.length === 0) return;
    this.db
      .insert(contacts)
      .values(rows.map((r) => ({ ...r, createdAt: at, updatedAt: at })))
      .onConflictDoUpdate({ target: [contacts.channel, contacts.waId], set: IMPORTED_FIELDS })
      .run();
  }
}

/** What an import overwrites on conflict (never the id, the creation time or the 24-hour window). */
export const IMPORTED_FIELDS = {
  name: sql.raw('excluded.name'),
  country: sql.raw('excluded.country'),
  consent: sql.raw('excluded.consent'),
  attributes: sql.raw('excluded.attributes'),
  tags: sql.raw('excluded.tags'),
  timezone: sql.raw('excluded.timezone'),
  updatedAt: sql.raw('excluded.updated_at'),
};

function toContact(row: ContactRow): Contact {
  return {
    ...row,
    consent: row.consent as Consent,
    attributes: row.attributes as Record<string, unknown>,
    tags: row.tags as string[],
  };
}
