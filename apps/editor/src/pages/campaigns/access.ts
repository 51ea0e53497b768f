import type { Role } from '../../auth/roles';

/**
 * Who sees and runs campaigns: owners, admins and builders, as the server's campaign routes allow (the
 * audience is made of segments and contacts, which are theirs too).
 */
export const CAMPAIGN_ROLES: readonly Role[] = ['owner', 'admin', 'builder'];

export function hasCampaigns(role: Role | null | undefined): boolean {
  return !!role && CAMPAIGN_ROLES.includes(role);
}
