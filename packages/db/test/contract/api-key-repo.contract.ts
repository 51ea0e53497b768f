import { expect, it } from 'vitest';
import type { ApiKeyRepository } from '../../src/api-key-repo.js';
import type { AsyncOf } from '../../src/ports.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';
const T2 = '2026-03-01T12:00:00.000Z';

/** The behaviours of ApiKeyRepository that callers rely on, on any database. */
export function apiKeyRepoContract(make: () => Promise<AsyncOf<ApiKeyRepository>>): void {
  it('lists working keys without their hash, revokes at once and by creator', async () => {
    const repo = await make();
    expect(
      await repo.create({ id: 'k1', name: 'CI', role: 'builder', secretHash: 'h1', createdBy: 'u1' }, T0),
    ).toEqual({
      id: 'k1',
      name: 'CI',
      role: 'builder',
      createdBy: 'u1',
      createdAt: T0,
      lastUsedAt: null,
      revokedAt: null,
    });
    await repo.create({ id: 'k2', name: 'Zapier', role: 'viewer', secretHash: 'h2' }, T1);
    await repo.create({ id: 'k3', name: 'Other', role: 'admin', secretHash: 'h3', createdBy: 'u1' }, T1);
    expect(await repo.listActive()).toEqual([
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
    expect(await repo.get('k1')).toEqual({
      id: 'k1',
      name: 'CI',
      role: 'builder',
      secretHash: 'h1',
      createdBy: 'u1',
      createdAt: T0,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(await repo.get('nope')).toBeUndefined();
    expect(await repo.meta('nope')).toBeUndefined();
    expect(await repo.meta('k1')).not.toHaveProperty('secretHash');
    await repo.touch('k2', T2);
    expect((await repo.meta('k2'))?.lastUsedAt).toBe(T2);
    expect(await repo.revoke('k2', T2)).toBe(true);
    expect(await repo.revoke('k2', T2)).toBe(false);
    expect(await repo.revoke('nope', T2)).toBe(false);
    expect((await repo.get('k2'))?.revokedAt).toBe(T2);
    expect((await repo.revokeCreatedBy('u1', T2)).sort()).toEqual(['k1', 'k3']);
    expect(await repo.revokeCreatedBy('u1', T2)).toEqual([]);
    expect(await repo.listActive()).toEqual([]);
  });

  it('refuses a second key with the same id', async () => {
    const repo = await make();
    await repo.create({ id: 'k1', name: 'CI', role: 'builder', secretHash: 'h1' }, T0);
    await expect(
      repo.create({ id: 'k1', name: 'CI2', role: 'viewer', secretHash: 'h2' }, T1),
    ).rejects.toThrow();
    expect((await repo.get('k1'))?.name).toBe('CI');
  });
}
