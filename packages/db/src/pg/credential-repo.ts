// Same as ../credential-repo.ts; names sort by bytes (collate "C"), as in SQLite.
import { eq } from 'drizzle-orm';
import type { CredentialMeta, CredentialRepository, CredentialRow } from '../credential-repo.js';
import type { AsyncOf } from '../ports.js';
import { byBytes } from './account-locks.js';
import type { PgSession } from './connection.js';
import { credentials } from './schema.js';

const META = {
  name: credentials.name,
  type: credentials.type,
  createdAt: credentials.createdAt,
  updatedAt: credentials.updatedAt,
  lastUsedAt: credentials.lastUsedAt,
};

type NewCredential = Pick<CredentialRow, 'name' | 'type' | 'data'>;

export class PgCredentialRepository implements AsyncOf<CredentialRepository> {
  constructor(private readonly db: PgSession) {}

  /** `on conflict do nothing`: of two concurrent creates of one name, one wins, the other gets undefined. */
  async create(row: NewCredential, at: string): Promise<CredentialRow | undefined> {
    const [created] = await this.db
      .insert(credentials)
      .values({ ...row, createdAt: at, updatedAt: at, lastUsedAt: null })
      .onConflictDoNothing({ target: credentials.name })
      .returning();
    return created;
  }

  async replace(
    name: string,
    row: Pick<CredentialRow, 'type' | 'data'>,
    at: string,
  ): Promise<CredentialRow | undefined> {
    const [replaced] = await this.db
      .update(credentials)
      .set({ type: row.type, data: row.data, updatedAt: at })
      .where(eq(credentials.name, name))
      .returning();
    return replaced;
  }

  async upsert(row: NewCredential, at: string): Promise<CredentialRow> {
    const [stored] = await this.db
      .insert(credentials)
      .values({ ...row, createdAt: at, updatedAt: at, lastUsedAt: null })
      .onConflictDoUpdate({
        target: credentials.name,
        set: { type: row.type, data: row.data, updatedAt: at },
      })
      .returning();
    if (!stored) throw new Error('upsert: the insert returned no row');
    return stored;
  }

  async get(name: string): Promise<CredentialRow | undefined> {
    const [row] = await this.db.select().from(credentials).where(eq(credentials.name, name));
    return row;
  }

  async all(): Promise<CredentialRow[]> {
    return this.db.select().from(credentials).orderBy(byBytes(credentials.name));
  }

  async list(): Promise<CredentialMeta[]> {
    return this.db.select(META).from(credentials).orderBy(byBytes(credentials.name));
  }

  async meta(name: string): Promise<CredentialMeta | undefined> {
    const [row] = await this.db.select(META).from(credentials).where(eq(credentials.name, name));
    return row;
  }

  async delete(name: string): Promise<boolean> {
    const rows = await this.db
      .delete(credentials)
      .where(eq(credentials.name, name))
      .returning({ name: credentials.name });
    return rows.length > 0;
  }

  async touch(name: string, at: string): Promise<void> {
    await this.db.update(credentials).set({ lastUsedAt: at }).where(eq(credentials.name, name));
  }
}
