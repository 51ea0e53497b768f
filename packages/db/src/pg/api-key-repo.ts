// Same as ../api-key-repo.ts; keys created at the same instant list by id (SQLite: by insertion).
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ApiKeyMeta, ApiKeyRepository, ApiKeyRow } from '../api-key-repo.js';
import type { AsyncOf } from '../ports.js';
import { byBytes } from './account-locks.js';
import type { PgSession } from './connection.js';
import { apiKeys } from './schema.js';

const META = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export class PgApiKeyRepository implements AsyncOf<ApiKeyRepository> {
  constructor(private readonly db: PgSession) {}

  async create(
    key: Pick<ApiKeyRow, 'id' | 'name' | 'role' | 'secretHash'> & { createdBy?: string | null },
    at: string,
  ): Promise<ApiKeyMeta> {
    const [row] = await this.db
      .insert(apiKeys)
      .values({ ...key, createdBy: key.createdBy ?? null, createdAt: at, lastUsedAt: null, revokedAt: null })
      .returning(META);
    if (!row) throw new Error('create: the insert returned no row');
    return row;
  }

  async get(id: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row;
  }

  async meta(id: string): Promise<ApiKeyMeta | undefined> {
    const [row] = await this.db.select(META).from(apiKeys).where(eq(apiKeys.id, id));
    return row;
  }

  async listActive(): Promise<ApiKeyMeta[]> {
    return this.db
      .select(META)
      .from(apiKeys)
      .where(isNull(apiKeys.revokedAt))
      .orderBy(asc(apiKeys.createdAt), byBytes(apiKeys.id));
  }

  /** A conditional update: of two concurrent revokes, exactly one reports true. */
  async revoke(id: string, at: string): Promise<boolean> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }

  async revokeCreatedBy(userId: string, at: string): Promise<string[]> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return rows.map((r) => r.id);
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
  }
}
