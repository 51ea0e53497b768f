import { asc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { channels } from './schema.js';

export type ChannelRow = typeof channels.$inferSelect;

/** Business numbers; `secrets` is ciphertext the server's vault encrypts and decrypts. */
export class ChannelRepository {
  constructor(private readonly db: Db) {}

  upsert(row: Omit<ChannelRow, 'createdAt' | 'updatedAt'>, at: string): ChannelRow {
    this.db
      .insert(channels)
      .values({ ...row, createdAt: at, updatedAt: at })
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
      .run();
    return this.get(row.id)!;
  }

  get(id: string): ChannelRow | undefined {
    return this.db.select().from(channels).where(eq(channels.id, id)).get();
  }

  byPhoneNumberId(phoneNumberId: string): ChannelRow | undefined {
    return this.db.select().from(channels).where(eq(channels.phoneNumberId, phoneNumberId)).get();
  }

  list(): ChannelRow[] {
    return this.db.select().from(channels).orderBy(asc(channels.id)).all();
  }

  delete(id: string): boolean {
    return this.db.delete(channels).where(eq(channels.id, id)).run().changes > 0;
  }
}
