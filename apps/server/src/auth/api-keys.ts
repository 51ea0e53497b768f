import { randomBytes } from 'node:crypto';
import type { ApiKeyMeta } from '@switchboard/db';
import type { Role } from '../api.js';
import type { AuthContext } from './context.js';
import { randomToken, sha256 } from './tokens.js';

/** A new API key: `key` is `sbk_<id>_<secret>`, returned this once; only sha256(secret) is stored. */
export async function createApiKey(
  ctx: AuthContext,
  input: { name: string; role: Role; createdBy: string | null },
): Promise<{ id: string; key: string; meta: ApiKeyMeta }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomToken();
  const meta = await ctx.apiKeys.create(
    {
      id,
      name: input.name.trim(),
      role: input.role,
      secretHash: sha256(secret),
      createdBy: input.createdBy,
    },
    ctx.iso(),
  );
  return { id, key: `sbk_${id}_${secret}`, meta };
}

/** Revokes at once: the next request with the key is refused. */
export function revokeApiKey(ctx: AuthContext, id: string): Promise<boolean> {
  return ctx.apiKeys.revoke(id, ctx.iso());
}
