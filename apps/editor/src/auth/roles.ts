/**
 * The server's roles, as the editor shows them. The server decides what each may do (and answers 403
 * `forbidden` otherwise); the editor only hides what a role cannot use, so nobody meets a refusal for a
 * button they should not have had.
 */
export const ROLES = ['owner', 'admin', 'builder', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Capability =
  /** See the flows, their versions and runs. */
  | 'viewFlows'
  /** Create, change, save, activate, delete flows; use the simulator. */
  | 'editFlows'
  /** The People page: users, invitations, API keys. */
  | 'managePeople';

const GRANTS: Record<Role, readonly Capability[]> = {
  owner: ['viewFlows', 'editFlows', 'managePeople'],
  admin: ['viewFlows', 'editFlows', 'managePeople'],
  builder: ['viewFlows', 'editFlows'],
  // Agents work in the inbox (pages/inbox/access.ts); nothing of the flow editor is theirs.
  agent: [],
  viewer: ['viewFlows'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role | null | undefined, what: Capability): boolean {
  return role ? GRANTS[role].includes(what) : false;
}

/**
 * The roles someone may hand out (invitations, role changes, API keys): an owner any, an admin any but
 * owner; nobody else manages people.
 */
export function assignableRoles(role: Role | null | undefined): Role[] {
  if (role === 'owner') return [...ROLES];
  return can(role, 'managePeople') ? ROLES.filter((r) => r !== 'owner') : [];
}

/**
 * Whether the People page offers to change or remove `target`: never oneself (so nobody locks
 * themselves out), and an owner only for an owner. The server has the last word (it also keeps the last
 * owner); this only decides which controls show.
 */
export function canManageUser(
  actor: { id: string | null; role: Role | null },
  target: { id: string; role: Role },
): boolean {
  if (!can(actor.role, 'managePeople')) return false;
  if (actor.id !== null && actor.id === target.id) return false;
  return target.role !== 'owner' || actor.role === 'owner';
}
