import { describe, expect, it } from 'vitest';
import { assignableRoles, can, canManageUser, isRole, ROLES } from './roles';

describe('what each role sees in the editor', () => {
  it('matches the server roles', () => {
    expect(ROLES).toEqual(['owner', 'admin', 'builder', 'agent', 'viewer']);
    expect(isRole('viewer')).toBe(true);
    expect(isRole('superuser')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it('lets builders and up edit flows, viewers only read them, agents neither', () => {
    const table = Object.fromEntries(
      ROLES.map((r) => [r, [can(r, 'viewFlows'), can(r, 'editFlows'), can(r, 'managePeople')]]),
    );
    expect(table).toEqual({
      owner: [true, true, true],
      admin: [true, true, true],
      builder: [true, true, false],
      agent: [false, false, false],
      viewer: [true, false, false],
    });
  });

  it('grants nothing without a role', () => {
    expect(can(null, 'viewFlows')).toBe(false);
    expect(can(undefined, 'editFlows')).toBe(false);
  });
});

describe('the People page', () => {
  it('offers owners every role, admins all but owner, others none', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'builder', 'agent', 'viewer']);
    expect(assignableRoles('admin')).toEqual(['admin', 'builder', 'agent', 'viewer']);
    expect(assignableRoles('builder')).toEqual([]);
    expect(assignableRoles(null)).toEqual([]);
  });

  it('never offers to change oneself, and only an owner changes an owner', () => {
    const owner = { id: 'u1', role: 'owner' as const };
    const admin = { id: 'u2', role: 'admin' as const };
    expect(canManageUser(owner, { id: 'u1', role: 'owner' })).toBe(false);
    expect(canManageUser(owner, { id: 'u3', role: 'owner' })).toBe(true);
    expect(canManageUser(owner, admin)).toBe(true);
    expect(canManageUser(admin, { id: 'u1', role: 'owner' })).toBe(false);
    expect(canManageUser(admin, { id: 'u4', role: 'viewer' })).toBe(true);
    expect(canManageUser({ id: 'u5', role: 'builder' }, { id: 'u4', role: 'viewer' })).toBe(false);
    // The owner key has no user id: it may change anyone.
    expect(canManageUser({ id: null, role: 'owner' }, { id: 'u1', role: 'owner' })).toBe(true);
  });
});
