import type { Role } from '../../auth/roles';

/** Who sees the health page and manages alert rules: owners and admins (as the API allows). */
export const MONITORING_ROLES: readonly Role[] = ['owner', 'admin'];

export function hasMonitoring(role: Role | null | undefined): boolean {
  return !!role && MONITORING_ROLES.includes(role);
}
