import type { Role } from '../../auth/roles';

/**
 * Who has an inbox: agents (their teams' conversations), admins and owners (all). The server's
 * `INBOX` roles (apps/server/src/roles.ts); the editor only hides the page from the others.
 */
export const INBOX_ROLES: readonly Role[] = ['owner', 'admin', 'agent'];

export function hasInbox(role: Role | null | undefined): boolean {
  return !!role && INBOX_ROLES.includes(role);
}
