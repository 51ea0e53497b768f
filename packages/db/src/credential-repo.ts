import { asc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { credentials } from './schema.js';

export type CredentialRow = typeof credentials.$inferSelect;
/** What may leave the server: everything but the ciphertext. */
export type CredentialMeta = Omit<CredentialRow, 'data'>;

const META = {
  name: credentials.name,
  type: credentials.type,
  createdAt: credentials.createdAt,
  updatedAt: credentials.updatedAt,
  lastUsedAt: credentials.lastUsedAt,
};

/**
 * Stored credentials by name; `data` is ciphertext the server's vault encrypts and decrypts (this
 * package never sees a secret in the clear).
 */
export class CredentialRepository {
  constructor(private readonly db: Db) {}

  /** Adds a credential; undefined when one with this name exists already (the caller answers 409). */
  create(row: Pick<CredentialRow, 'name' | 'type' | 'data'>, at: string): CredentialRow | undefined {
    const { changes } = this.db
      .insert(credentials)
      .values({ ...row, createdAt: at, updatedAt: at, lastUsedAt: null })
      .onConflictDoNothing({ target: credentials.name })
      .run();
    return changes > 0 ? this.get(row.name) : undefined;
  }

  /** Replaces an existing credential's type and data (keeping its creation time); undefined if unknown. */
  replace(name: string, row: Pick<CredentialRow, 'type' | 'data'>, at: string): CredentialRow | undefined {
    const { changes } = this.db
      .update(credentials)
      .set({ type: row.type, data: row.data, updatedAt: at })
      .where(eq(credentials.name, name))
      .run();
    return changes > 0 ? this.get(name) : undefined;
  }

  /** Creates or replaces (for scripted setup, where "already there" is fine). */
  upsert(row: Pick<CredentialRow, 'name' | 'type' | 'data'>, at: string): CredentialRow {
    this.db
      .insert(credentials)
      .values({ ...row, createdAt: at, updatedAt: at, lastUsedAt: null })
      .onConflictDoUpdate({
        target: credentials.name,
        set: { type: row.type, data: row.data, updatedAt: at },
      })
      .run();
    return this.get(row.name)!;
  }

  get(name: string): CredentialRow | undefined {
    return this.db.select().from(credentials).where(eq(credentials.name, name)).get();
  }

  /** Every credential with its ciphertext, for the server's decrypted cache. */
  all(): CredentialRow[] {
    return this.db.select().from(credentials).orderBy(asc(credentials.name)).all();
  }

  /** Names, types and times only: never the data. */
  list(): CredentialMeta[] {
    return this.db.select(META).from(credentials).orderBy(asc(credentials.name)).all();
  }

  meta(name: string): CredentialMeta | undefined {
    return this.db.select(META).from(credentials).where(eq(credentials.name, name)).get();
  }

  delete(name: string): boolean {
    return this.db.delete(credentials).where(eq(credentials.name, name)).run().changes > 0;
  }

  /** Records that a request just used this credential. */
  touch(name: string, at: string): void {
    this.db.update(credentials).set({ lastUsedAt: at }).where(eq(credentials.name, name)).run();
  }
}
