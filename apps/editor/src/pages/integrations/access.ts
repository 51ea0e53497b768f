import type { Role } from '../../auth/roles';

/**
 * Who sets up integrations (outgoing event subscriptions, CRM timeline sync): owners and admins, as the
 * server's routes allow; they carry signing secrets and send customers' messages to other systems.
 */
export const INTEGRATION_ROLES: readonly Role[] = ['owner', 'admin'];

export function hasIntegrations(role: Role | null | undefined): boolean {
  return !!role && INTEGRATION_ROLES.includes(role);
}
