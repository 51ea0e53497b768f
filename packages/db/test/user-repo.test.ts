import { describe, expect, it } from 'vitest';
import { ApiKeyRepository } from '../src/api-key-repo.js';
import { openDb } from '../src/connection.js';
import { TeamRepository } from '../src/team-repo.js';
import { UserRepository } from '../src/user-repo.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';
const T2 = '2026-03-01T12:00:00.000Z';
const LATER = '2026-03-20T12:00:00.000Z';

const user = (id: string, email: string, role = 'builder') => ({
  id,
  email,
  name: id,
  role,
  passwordHash: `scrypt$hash-of-${id}`,
});

describe('user repository', () => {
  it('stores addresses lower-cased and unique, and lists users without their password hash', () => {
    const repo = new UserRepository(openDb({ path: ':memory:' }));
    expect(repo.countUsers()).toBe(0);
    expect(repo.createUser(user('u1', '  Ana@Example.COM '), T0)).toMatchObject({
      id: 'u1',
      email: 'ana@example.com',
      createdAt: T0,
      lastSignInAt: null,
    });
    expect(repo.createUser(user('u2', 'ANA@example.com'), T1)).toBeUndefined();
    expect(repo.getUserByEmail('Ana@Example.com')?.id).toBe('u1');
    expect(repo.listUsers()).toEqual([
      {
        id: 'u1',
        email: 'ana@example.com',
        name: 'u1',
        role: 'builder',
        createdAt: T0,
        updatedAt: T0,
        lastSignInAt: null,
      },
    ]);
    repo.recordSignIn('u1', T2);
    expect(repo.getUser('u1')?.lastSignInAt).toBe(T2);
  });

  it('creates the first user only while there is none', () => {
    const repo = new UserRepository(openDb({ path: ':memory:' }));
    expect(repo.createFirstUser(user('o1', 'owner@example.com', 'owner'), T0)?.role).toBe('owner');
    expect(repo.createFirstUser(user('o2', 'other@example.com', 'owner'), T1)).toBeUndefined();
    expect(repo.countUsers()).toBe(1);
  });

  it('never leaves the users without an owner', () => {
    const repo = new UserRepository(openDb({ path: ':memory:' }));
    repo.createUser(user('o1', 'o1@example.com', 'owner'), T0);
    repo.createUser(user('a1', 'a1@example.com', 'admin'), T0);
    expect(repo.updateUser('o1', { role: 'admin' }, T1)).toBe('last_owner');
    expect(repo.deleteUser('o1')).toBe('last_owner');
    expect(repo.updateUser('o1', { name: 'Olga' }, T1)).toMatchObject({
      name: 'Olga',
      role: 'owner',
      updatedAt: T1,
    });
    expect(repo.updateUser('a1', { role: 'owner' }, T1)).toMatchObject({ role: 'owner' });
    expect(repo.updateUser('o1', { role: 'viewer' }, T2)).toMatchObject({ role: 'viewer' });
    expect(repo.countOwners()).toBe(1);
    expect(repo.deleteUser('o1')).toBe(true);
    expect(repo.deleteUser('o1')).toBe(false);
    expect(repo.updateUser('nobody', { name: 'x' }, T2)).toBeUndefined();
  });

  it('keeps sessions until they expire, slides them, and ends them per user', () => {
    const db = openDb({ path: ':memory:' });
    const repo = new UserRepository(db);
    repo.createUser(user('u1', 'u1@example.com'), T0);
    repo.createUser(user('u2', 'u2@example.com'), T0);
    repo.createSession({ id: 's1', userId: 'u1', csrfToken: 'c1', expiresAt: T2, ip: '10.0.0.1' }, T0);
    repo.createSession({ id: 's2', userId: 'u1', csrfToken: 'c2', expiresAt: T2 }, T0);
    repo.createSession({ id: 's3', userId: 'u2', csrfToken: 'c3', expiresAt: T2 }, T0);
    expect(repo.sessionWithUser('s1', T1)).toMatchObject({
      session: { id: 's1', csrfToken: 'c1', ip: '10.0.0.1', lastSeenAt: T0 },
      user: { id: 'u1' },
    });
    expect(repo.sessionWithUser('s1', T2)).toBeUndefined();
    repo.touchSession('s1', T1, LATER);
    expect(repo.sessionWithUser('s1', T2)?.session).toMatchObject({ lastSeenAt: T1, expiresAt: LATER });
    expect(repo.deleteUserSessions('u1', 's1')).toBe(1);
    expect(repo.listUserSessions('u1').map((s) => s.id)).toEqual(['s1']);
    expect(repo.deleteExpiredSessions(T2)).toBe(1);
    expect(repo.getSession('s3')).toBeUndefined();
    // Removing a user ends their sessions and unlinks their agent.
    const teams = new TeamRepository(db);
    teams.createAgent(
      {
        id: 'ag1',
        name: 'Ana',
        email: null,
        role: 'agent',
        skills: [],
        capacity: 5,
        available: true,
        teams: [],
      },
      T0,
    );
    db.$client.prepare("update agents set user_id = 'u1' where id = 'ag1'").run();
    expect(repo.agentIdOfUser('u1')).toBe('ag1');
    expect(repo.deleteUser('u1')).toBe(true);
    expect(repo.getSession('s1')).toBeUndefined();
    expect(repo.agentIdOfUser('u1')).toBeUndefined();
  });

  it('accepts an invitation once, before it expires, for its address only', () => {
    const repo = new UserRepository(openDb({ path: ':memory:' }));
    repo.createInvitation(
      { id: 'i1', tokenHash: 'h1', role: 'agent', email: 'Bea@Example.com', expiresAt: T2 },
      T0,
    );
    repo.createInvitation({ id: 'i2', tokenHash: 'h2', role: 'viewer', invitedBy: 'o1', expiresAt: T1 }, T0);
    expect(repo.listPendingInvitations(T0).map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(repo.listPendingInvitations(T1).map((i) => i.id)).toEqual(['i1']);
    expect(repo.invitationByTokenHash('h1')).toMatchObject({ email: 'bea@example.com', role: 'agent' });
    expect(repo.invitationByTokenHash('h1')).not.toHaveProperty('tokenHash');

    const bea = { id: 'u1', email: 'bea@example.com', name: 'Bea', passwordHash: 'x' };
    expect(repo.acceptInvitation('h1', { ...bea, email: 'other@example.com' }, T1)).toBe('email_mismatch');
    expect(repo.acceptInvitation('h1', bea, T1)).toMatchObject({ id: 'u1', role: 'agent' });
    expect(repo.acceptInvitation('h1', { ...bea, id: 'u9' }, T1)).toBe('gone');
    expect(repo.getInvitation('i1')).toMatchObject({ acceptedAt: T1, acceptedBy: 'u1' });
    // Expired.
    expect(
      repo.acceptInvitation('h2', { id: 'u2', email: 'c@example.com', name: 'C', passwordHash: 'x' }, T2),
    ).toBe('gone');
    expect(repo.acceptInvitation('nope', bea, T0)).toBe('gone');
    // An address that has an account already.
    repo.createInvitation({ id: 'i3', tokenHash: 'h3', role: 'viewer', expiresAt: LATER }, T0);
    expect(repo.acceptInvitation('h3', { ...bea, id: 'u3' }, T1)).toBe('email_taken');
    expect(repo.getInvitation('i3')?.acceptedAt).toBeNull();
    expect(repo.deleteInvitation('i3')).toBe(true);
    expect(repo.deleteInvitation('i3')).toBe(false);
  });
});

describe('api key repository', () => {
  it('lists working keys without their hash, revokes at once and by creator', () => {
    const repo = new ApiKeyRepository(openDb({ path: ':memory:' }));
    repo.create({ id: 'k1', name: 'CI', role: 'builder', secretHash: 'h1', createdBy: 'u1' }, T0);
    repo.create({ id: 'k2', name: 'Zapier', role: 'viewer', secretHash: 'h2' }, T1);
    repo.create({ id: 'k3', name: 'Other', role: 'admin', secretHash: 'h3', createdBy: 'u1' }, T1);
    expect(repo.listActive()).toEqual([
      {
        id: 'k1',
        name: 'CI',
        role: 'builder',
        createdBy: 'u1',
        createdAt: T0,
        lastUsedAt: null,
        revokedAt: null,
      },
      {
        id: 'k2',
        name: 'Zapier',
        role: 'viewer',
        createdBy: null,
        createdAt: T1,
        lastUsedAt: null,
        revokedAt: null,
      },
      {
        id: 'k3',
        name: 'Other',
        role: 'admin',
        createdBy: 'u1',
        createdAt: T1,
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
    expect(repo.get('k1')?.secretHash).toBe('h1');
    repo.touch('k2', T2);
    expect(repo.meta('k2')?.lastUsedAt).toBe(T2);
    expect(repo.revoke('k2', T2)).toBe(true);
    expect(repo.revoke('k2', T2)).toBe(false);
    expect(repo.get('k2')?.revokedAt).toBe(T2);
    expect(repo.revokeCreatedBy('u1', T2).sort()).toEqual(['k1', 'k3']);
    expect(repo.listActive()).toEqual([]);
  });
});
