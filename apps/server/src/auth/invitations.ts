import type { Role } from '../api.js';
import { newId } from './accounts.js';
import type { AuthContext } from './context.js';
import { hashPassword } from './passwords.js';
import { randomToken, sha256 } from './tokens.js';

/** A new invitation: the token is returned this once (for the link); only its sha256 is stored. */
export async function invite(
  ctx: AuthContext,
  input: { role: Role; email: string | null; invitedBy: string | null; days?: number },
) {
  const token = randomToken();
  const now = ctx.now();
  const invitation = await ctx.users.createInvitation(
    {
      id: newId('inv'),
      tokenHash: sha256(token),
      role: input.role,
      email: input.email,
      invitedBy: input.invitedBy,
      expiresAt: ctx.iso(now + (input.days ?? 7) * 86_400_000),
    },
    ctx.iso(now),
  );
  return { token, invitation };
}

/** A pending invitation by its token; `gone` when used or expired, undefined when unknown. */
export async function invitationOf(ctx: AuthContext, token: string) {
  const found = await ctx.users.invitationByTokenHash(sha256(token));
  if (!found) return undefined;
  if (found.acceptedAt !== null || found.expiresAt <= ctx.iso()) return 'gone' as const;
  return found;
}

/** Creates the invited user (one use per token). */
export async function acceptInvitation(
  ctx: AuthContext,
  token: string,
  input: { email: string; name: string; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  return ctx.users.acceptInvitation(
    sha256(token),
    { id: newId('usr'), email: input.email, name: input.name.trim(), passwordHash },
    ctx.iso(),
  );
}
