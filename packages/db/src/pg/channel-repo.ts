// Same behaviour as SQLite; the upsert returns its row from the same statement.
import { eq, sql } from 'drizzle-orm';
import type { ChannelRepository, ChannelRow } from '../channel-repo.js';
import type { AsyncOf } from '../ports.js';
import type { PgSession } from './connection.js';
import { channels } from './tables/messaging.js';

/** Business numbers; `secrets` is ciphertext the server's vault encrypts and decrypts. */
export class PgChannelRepository implements AsyncOf<ChannelRepository> {
  constructor(private readonly db: PgSession) {}

  async upsert(row: Omit<ChannelRow, 'createdAt' | 'updatedAt'>, at: string): Promise<ChannelRow> {
    const [stored] = await this.db
      .insert(channels)
      .values({
        id: row.id,
        name: row.name,
        phoneNumberId: row.phoneNumberId,
        wabaId: row.wabaId,
        displayPhoneNumber: row.displayPhoneNumber,
        secrets: row.secrets,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoUpdate({
        target: channels.id,
        set: {
          name: row.name,
          phoneNumberId: row.phoneNumberId,
          wabaId: row.wabaId,
          displayPhoneNumber: row.displayPhoneNumber,
          secrets: row.secrets,
          updatedAt: at,
        },
      })
      .returning();
    if (!stored) throw new Error(`channel ${row.id}: upsert returned no row`);
    return stored;
  }

  async get(id: string): Promise<ChannelRow | undefined> {
    const [row] = await this.db.select().from(channels).where(eq(channels.id, id));
    return row;
  }

  async byPhoneNumberId(phoneNumberId: string): Promise<ChannelRow | undefined> {
    const [row] = await this.db.select().from(channels).where(eq(channels.phoneNumberId, phoneNumberId));
    return row;
  }

  async list(): Promise<ChannelRow[]> {
    return this.db.select().from(channels).orderBy(sql`${channels.id} collate "C"`); // SQLite's byte order
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.delete(channels).where(eq(channels.id, id));
    return (result.rowCount ?? 0) > 0;
  }
}
