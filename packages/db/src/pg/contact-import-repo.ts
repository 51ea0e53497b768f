// Same as SQLite (../contact-import-repo.ts); the rows read are locked until the import's transaction
// ends, so a consent change arriving meanwhile (a STOP) is not overwritten by the import's merge.
import { inArray } from 'drizzle-orm';
import {
  type ContactImportRepository,
  IMPORTED_FIELDS,
  type ImportedContact,
} from '../contact-import-repo.js';
import type { Consent, Contact } from '../contact-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { contacts } from './tables/messaging.js';

export class PgContactImportRepository implements AsyncOf<ContactImportRepository> {
  constructor(private readonly db: PgSession) {}

  async getMany(waIds: readonly string[]): Promise<Contact[]> {
    if (waIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(contacts)
      .where(inArray(contacts.waId, [...waIds]))
      .for('update');
    return rows.map((row) => ({
      ...row,
      consent: row.consent as Consent,
      attributes: row.attributes as Record<string, unknown>,
      tags: row.tags as string[],
    }));
  }

  async upsertMany(rows: readonly ImportedContact[], at: string): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insert(contacts)
      .values(rows.map((r) => ({ ...r, createdAt: at, updatedAt: at })))
      .onConflictDoUpdate({ target: [contacts.channel, contacts.waId], set: IMPORTED_FIELDS });
  }
}
