import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from './connection.js';
import { apiKeys } from './schema.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
/** What may leave the server: everything but the secret's hash. */
export type ApiKeyMeta = Omit<ApiKeyRow, 'secretHash'>;

const META = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/**
 * API keys for automation. Only the sha256 of each key's secret is stored (the server hashes and
 * compares); a revoked key keeps its row, so the audit log can still name it.
 */
export class ApiKeyRepository {
  constructor(private readonly db: Db) {}

  create(
    key: Pick<ApiKeyRow, 'id' | 'name' | 'role' | 'secretHash'> & { createdBy?: string | null },
    at: string,
  ): ApiKeyMeta {
    this.db
      .insert(apiKeys)
      .values({ ...key, createdBy: key.createdBy ?? null, createdAt: at, lastUsedAt: null, revokedAt: null })
      .run();
    return this.meta(key.id)!;
  }

  /** With the secret's hash, revoked or not: for authentication. */
  get(id: string): ApiKeyRow | undefined {
    return this.db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
  }

  meta(id: string): ApiKeyMeta | undefined {
    return this.db.select(META).from(apiKeys).where(eq(apiKeys.id, id)).get();
  }

  /** Keys that still work, oldest first. */
  listActive(): ApiKeyMeta[] {
    return this.db
      .select(META)
      .from(apiKeys)
      .where(isNull(apiKeys.revokedAt))
      .orderBy(asc(apiKeys.createdAt))
      .all();
  }

  /** Revokes at once; false when unknown or already revoked. */
  revoke(id: string, at: string): boolean {
    return (
      this.db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .run().changes > 0
    );
  }

  /** Revokes every key a user created (when the user is removed); returns the revoked ids. */
  revokeCreatedBy(userId: string, at: string): string[] {
    return this.db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id })
      .all()
      .map((r) => r.id);
  }

  /** Records that a request just used the key. */
  touch(id: string, at: string): void {
    this.db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run();
  }
}
