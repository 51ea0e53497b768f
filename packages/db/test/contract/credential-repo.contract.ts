import { expect, it } from 'vitest';
import type { CredentialRepository } from '../../src/credential-repo.js';
import type { AsyncOf } from '../../src/ports.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';
const T2 = '2026-03-01T12:00:00.000Z';

/** The behaviours of CredentialRepository that callers rely on, on any database. */
export function credentialRepoContract(make: () => Promise<AsyncOf<CredentialRepository>>): void {
  it('creates once: a second create with the same name is refused and changes nothing', async () => {
    const repo = await make();
    expect(await repo.create({ name: 'crm', type: 'hubspot', data: 'v1:aaa' }, T0)).toEqual({
      name: 'crm',
      type: 'hubspot',
      data: 'v1:aaa',
      createdAt: T0,
      updatedAt: T0,
      lastUsedAt: null,
    });
    expect(await repo.create({ name: 'crm', type: 'slack', data: 'v1:bbb' }, T1)).toBeUndefined();
    expect(await repo.get('crm')).toMatchObject({ type: 'hubspot', data: 'v1:aaa', updatedAt: T0 });
  });

  it('replaces type and data of an existing credential, keeping its creation time', async () => {
    const repo = await make();
    await repo.create({ name: 'crm', type: 'hubspot', data: 'v1:aaa' }, T0);
    expect(await repo.replace('crm', { type: 'httpBearer', data: 'v1:ccc' }, T1)).toEqual({
      name: 'crm',
      type: 'httpBearer',
      data: 'v1:ccc',
      createdAt: T0,
      updatedAt: T1,
      lastUsedAt: null,
    });
    expect(await repo.replace('missing', { type: 'slack', data: 'v1:ddd' }, T1)).toBeUndefined();
    expect(await repo.get('missing')).toBeUndefined();
  });

  it('upserts for scripted setup', async () => {
    const repo = await make();
    expect(await repo.upsert({ name: 'a', type: 'slack', data: 'v1:1' }, T0)).toEqual({
      name: 'a',
      type: 'slack',
      data: 'v1:1',
      createdAt: T0,
      updatedAt: T0,
      lastUsedAt: null,
    });
    await repo.touch('a', T1);
    expect(await repo.upsert({ name: 'a', type: 'httpBasic', data: 'v1:2' }, T2)).toEqual({
      name: 'a',
      type: 'httpBasic',
      data: 'v1:2',
      createdAt: T0,
      updatedAt: T2,
      lastUsedAt: T1,
    });
  });

  it('lists metadata only, by name in byte order, and never the ciphertext', async () => {
    const repo = await make();
    await repo.create({ name: 'zendesk', type: 'httpBasic', data: 'v1:zzz' }, T0);
    await repo.create({ name: 'bitrix', type: 'bitrix24', data: 'v1:bbb' }, T1);
    await repo.create({ name: 'Slack', type: 'slack', data: 'v1:sss' }, T1);
    await repo.create({ name: '_ops', type: 'slack', data: 'v1:ooo' }, T1);
    const listed = await repo.list();
    expect(listed.map((c) => c.name)).toEqual(['Slack', '_ops', 'bitrix', 'zendesk']);
    for (const c of listed)
      expect(Object.keys(c).sort()).toEqual(['createdAt', 'lastUsedAt', 'name', 'type', 'updatedAt']);
    expect(await repo.meta('bitrix')).toEqual({
      name: 'bitrix',
      type: 'bitrix24',
      createdAt: T1,
      updatedAt: T1,
      lastUsedAt: null,
    });
    expect(await repo.meta('missing')).toBeUndefined();
    expect((await repo.all()).map((c) => c.data)).toEqual(['v1:sss', 'v1:ooo', 'v1:bbb', 'v1:zzz']);
  });

  it('records the last use and deletes', async () => {
    const repo = await make();
    await repo.create({ name: 'crm', type: 'hubspot', data: 'v1:aaa' }, T0);
    await repo.touch('crm', T2);
    await repo.touch('missing', T2);
    expect(await repo.meta('crm')).toMatchObject({ lastUsedAt: T2, updatedAt: T0 });
    expect(await repo.delete('crm')).toBe(true);
    expect(await repo.delete('crm')).toBe(false);
    expect(await repo.list()).toEqual([]);
    expect(await repo.all()).toEqual([]);
  });
}
