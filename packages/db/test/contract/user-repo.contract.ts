import { expect, it } from 'vitest';
import type { AsyncOf } from '../../src/ports.js';
import type { UserRepository } from '../../src/user-repo.js';

export const T0 = '2026-03-01T10:00:00.000Z';
export const T1 = '2026-03-01T11:00:00.000Z';
export const T2 = '2026-03-01T12:00:00.000Z';
export const LATER = '2026-03-20T12:00:00.000Z';

export const newUser = (id: string, email: string, role = 'builder') => ({
  id,
  email,
  name: id,
  role,
  passwordHash: `scrypt$hash-of-${id}`,
});

/** The behaviours of UserRepository that callers rely on, on any database. */
export function userRepoContract(make: () => Promise<AsyncOf<UserRepository>>): void {
  it('stores addresses lower-cased and unique, and lists users without their password hash', async () => {
    const repo = await make();
    expect(await repo.countUsers()).toBe(0);
    expect(await repo.createUser(newUser('u1', '  Ana@Example.COM '), T0)).toEqual({
      id: 'u1',
      email: 'ana@example.com',
      name: 'u1',
      role: 'builder',
      passwordHash: 'scrypt$hash-of-u1',
      createdAt: T0,
      updatedAt: T0,
      lastSignInAt: null,
    });
    expect(await repo.createUser(newUser('u2', 'ANA@example.com'), T1)).toBeUndefined();
    expect((await repo.getUserByEmail('Ana@Example.com'))?.id).toBe('u1');
    expect(await repo.getUserByEmail('nobody@example.com')).toBeUndefined();
    expect(await repo.listUsers()).toEqual([
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
    await repo.recordSignIn('u1', T2);
    expect((await repo.getUser('u1'))?.lastSignInAt).toBe(T2);
    expect(await repo.getUser('nobody')).toBeUndefined();
  });

  it('lists users by address in byte order', async () => {
    const repo = await make();
    for (const [id, email] of [
      ['u1', 'zoe@example.com'],
      ['u2', 'ana@example.com'],
      ['u3', '_x@example.com'],
      ['u4', 'ana.b@example.com'],
      ['u5', '0@example.com'],
    ] as const)
      await repo.createUser(newUser(id, email), T0);
    expect((await repo.listUsers()).map((u) => u.email)).toEqual([
      '0@example.com',
      '_x@example.com',
      'ana.b@example.com',
      'ana@example.com',
      'zoe@example.com',
    ]);
  });

  it('creates the first user only while there is none', async () => {
    const repo = await make();
    expect((await repo.createFirstUser(newUser('o1', 'owner@example.com', 'owner'), T0))?.role).toBe('owner');
    expect(await repo.createFirstUser(newUser('o2', 'other@example.com', 'owner'), T1)).toBeUndefined();
    expect(await repo.countUsers()).toBe(1);
  });

  it('changes passwords of known users only', async () => {
    const repo = await make();
    await repo.createUser(newUser('u1', 'u1@example.com'), T0);
    expect(await repo.setPasswordHash('u1', 'scrypt$new', T1)).toBe(true);
    expect(await repo.getUser('u1')).toMatchObject({ passwordHash: 'scrypt$new', updatedAt: T1 });
    expect(await repo.setPasswordHash('nobody', 'scrypt$new', T1)).toBe(false);
  });

  it('never leaves the users without an owner', async () => {
    const repo = await make();
    await repo.createUser(newUser('o1', 'o1@example.com', 'owner'), T0);
    await repo.createUser(newUser('a1', 'a1@example.com', 'admin'), T0);
    expect(await repo.updateUser('o1', { role: 'admin' }, T1)).toBe('last_owner');
    expect(await repo.deleteUser('o1')).toBe('last_owner');
    expect(await repo.updateUser('o1', { name: 'Olga' }, T1)).toMatchObject({
      name: 'Olga',
      role: 'owner',
      updatedAt: T1,
    });
    expect(await repo.updateUser('o1', { role: 'owner' }, T1)).toMatchObject({ role: 'owner' });
    expect(await repo.updateUser('a1', { role: 'owner' }, T1)).toMatchObject({ role: 'owner' });
    expect(await repo.updateUser('o1', { role: 'viewer' }, T2)).toMatchObject({ role: 'viewer' });
    expect(await repo.countOwners()).toBe(1);
    expect(await repo.deleteUser('o1')).toBe(true);
    expect(await repo.deleteUser('o1')).toBe(false);
    expect(await repo.updateUser('nobody', { name: 'x' }, T2)).toBeUndefined();
  });

  it('keeps sessions until they expire, slides them, and ends them per user', async () => {
    const repo = await make();
    await repo.createUser(newUser('u1', 'u1@example.com'), T0);
    await repo.createUser(newUser('u2', 'u2@example.com'), T0);
    expect(
      await repo.createSession(
        { id: 's1', userId: 'u1', csrfToken: 'c1', expiresAt: T2, ip: '10.0.0.1' },
        T0,
      ),
    ).toEqual({
      id: 's1',
      userId: 'u1',
      csrfToken: 'c1',
      createdAt: T0,
      expiresAt: T2,
      lastSeenAt: T0,
      ip: '10.0.0.1',
      userAgent: null,
    });
    await repo.createSession({ id: 's2', userId: 'u1', csrfToken: 'c2', expiresAt: T2 }, T0);
    await repo.createSession({ id: 's3', userId: 'u2', csrfToken: 'c3', expiresAt: T2 }, T0);
    expect(await repo.sessionWithUser('s1', T1)).toMatchObject({
      session: { id: 's1', csrfToken: 'c1', ip: '10.0.0.1', lastSeenAt: T0 },
      user: { id: 'u1', email: 'u1@example.com', passwordHash: 'scrypt$hash-of-u1' },
    });
    expect(await repo.sessionWithUser('s1', T2)).toBeUndefined();
    expect(await repo.sessionWithUser('nope', T0)).toBeUndefined();
    await repo.touchSession('s1', T1, LATER);
    expect((await repo.sessionWithUser('s1', T2))?.session).toMatchObject({
      lastSeenAt: T1,
      expiresAt: LATER,
    });
    expect((await repo.listUserSessions('u1')).map((s) => s.id)).toEqual(['s1', 's2']);
    expect(await repo.deleteUserSessions('u1', 's1')).toBe(1);
    expect((await repo.listUserSessions('u1')).map((s) => s.id)).toEqual(['s1']);
    expect(await repo.deleteExpiredSessions(T2)).toBe(1);
    expect(await repo.getSession('s3')).toBeUndefined();
    expect(await repo.deleteSession('s1')).toBe(true);
    expect(await repo.deleteSession('s1')).toBe(false);
    await repo.createSession({ id: 's4', userId: 'u2', csrfToken: 'c4', expiresAt: T2 }, T0);
    await repo.createSession({ id: 's5', userId: 'u2', csrfToken: 'c5', expiresAt: T2 }, T1);
    expect(await repo.deleteUserSessions('u2')).toBe(2);
  });

  it('refuses a session for an unknown user, and removing a user ends their sessions', async () => {
    const repo = await make();
    await expect(
      repo.createSession({ id: 's1', userId: 'ghost', csrfToken: 'c', expiresAt: T2 }, T0),
    ).rejects.toThrow('FOREIGN KEY constraint failed');
    await repo.createUser(newUser('u1', 'u1@example.com'), T0);
    await repo.createSession({ id: 's1', userId: 'u1', csrfToken: 'c', expiresAt: T2 }, T0);
    expect(await repo.agentIdOfUser('u1')).toBeUndefined();
    expect(await repo.deleteUser('u1')).toBe(true);
    expect(await repo.getSession('s1')).toBeUndefined();
  });

  it('accepts an invitation once, before it expires, for its address only', async () => {
    const repo = await make();
    expect(
      await repo.createInvitation(
        { id: 'i1', tokenHash: 'h1', role: 'agent', email: 'Bea@Example.com', expiresAt: T2 },
        T0,
      ),
    ).toEqual({
      id: 'i1',
      role: 'agent',
      email: 'bea@example.com',
      invitedBy: null,
      createdAt: T0,
      expiresAt: T2,
      acceptedAt: null,
      acceptedBy: null,
    });
    await repo.createInvitation(
      { id: 'i2', tokenHash: 'h2', role: 'viewer', invitedBy: 'o1', expiresAt: T1 },
      T0,
    );
    expect((await repo.listPendingInvitations(T0)).map((i) => i.id)).toEqual(['i1', 'i2']);
    expect((await repo.listPendingInvitations(T1)).map((i) => i.id)).toEqual(['i1']);
    expect(await repo.invitationByTokenHash('h1')).toMatchObject({ email: 'bea@example.com', role: 'agent' });
    expect(await repo.invitationByTokenHash('h1')).not.toHaveProperty('tokenHash');
    expect(await repo.invitationByTokenHash('nope')).toBeUndefined();

    const bea = { id: 'u1', email: 'bea@example.com', name: 'Bea', passwordHash: 'x' };
    expect(await repo.acceptInvitation('h1', { ...bea, email: 'other@example.com' }, T1)).toBe(
      'email_mismatch',
    );
    expect(await repo.acceptInvitation('h1', { ...bea, email: ' BEA@example.com' }, T1)).toMatchObject({
      id: 'u1',
      email: 'bea@example.com',
      role: 'agent',
      createdAt: T1,
    });
    expect(await repo.acceptInvitation('h1', { ...bea, id: 'u9' }, T1)).toBe('gone');
    expect(await repo.getInvitation('i1')).toMatchObject({ acceptedAt: T1, acceptedBy: 'u1' });
    expect((await repo.listPendingInvitations(T0)).map((i) => i.id)).toEqual(['i2']);
    // Expired.
    expect(
      await repo.acceptInvitation(
        'h2',
        { id: 'u2', email: 'c@example.com', name: 'C', passwordHash: 'x' },
        T2,
      ),
    ).toBe('gone');
    expect(await repo.acceptInvitation('nope', bea, T0)).toBe('gone');
    // An address that has an account already.
    await repo.createInvitation({ id: 'i3', tokenHash: 'h3', role: 'viewer', expiresAt: LATER }, T0);
    expect(await repo.acceptInvitation('h3', { ...bea, id: 'u3' }, T1)).toBe('email_taken');
    expect((await repo.getInvitation('i3'))?.acceptedAt).toBeNull();
    expect(await repo.deleteInvitation('i3')).toBe(true);
    expect(await repo.deleteInvitation('i3')).toBe(false);
    expect(await repo.getInvitation('i3')).toBeUndefined();
  });

  it('refuses a second invitation with the same token hash', async () => {
    const repo = await make();
    await repo.createInvitation({ id: 'i1', tokenHash: 'h1', role: 'agent', expiresAt: T2 }, T0);
    await expect(
      repo.createInvitation({ id: 'i2', tokenHash: 'h1', role: 'agent', expiresAt: T2 }, T0),
    ).rejects.toThrow();
  });
}
