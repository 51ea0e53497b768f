import type { Role } from '../../auth/roles';

/** Who manages contacts (CSV import/export, segments): owners, admins and builders, as the server allows. */
export const CONTACT_ROLES: readonly Role[] = ['owner', 'admin', 'builder'];

export function hasContacts(role: Role | null | undefined): boolean {
  return !!role && CONTACT_ROLES.includes(role);
}
