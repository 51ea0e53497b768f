import type { Role } from '../../auth/roles';

/** Who reads analytics: those who read flows (owner, admin, builder, viewer); not agents. */
export const ANALYTICS_ROLES: readonly Role[] = ['owner', 'admin', 'builder', 'viewer'];

export function hasAnalytics(role: Role | null | undefined): boolean {
  return !!role && ANALYTICS_ROLES.includes(role);
}
