import { describe, expect, it } from 'vitest';
import { openDb } from '../src/connection.js';
import { CredentialRepository } from '../src/credential-repo.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';
const T2 = '2026-03-01T12:00:00.000Z';

describe('credential repository', () => {
  it('creates once: a second create with the same name is refused and changes nothing', () => {
    const repo = new CredentialRepository(openDb({ path: ':memory:' }));
    expect(repo.create({ name: 'crm', type: 'hubspot', data: 'v1:aaa' }, T0)).toEqual({
      name: 'crm',
      type: 'hubspot',
      data: 'v1:aaa',
      createdAt: T0,
      updatedAt: T0,
      lastUsedAt: null,
    });
    expect(repo.create({ name: 'crm', type: 'slack', data: 'v1:bbb' }, T1)).toBeUndefined();
    expect(repo.get('crm')).toMatchObject({ type: 'hubspot', data: 'v1:aaa', updatedAt: T0 });
  });

  it('replaces type and data of an existing credential, keeping its creation time', () => {
    const repo = new CredentialRepository(openDb({ path: ':memory:' }));
    repo.create({ name: 'crm', type: 'hubspot', data: 'v1:aaa' }, T0);
    expect(repo.replace('crm', { type: 'httpBearer', data: 'v1:ccc' }, T1)).toMatchObject({
      type: 'httpBearer',
      data: 'v1:ccc',
      createdAt: T0,
      updatedAt: T1,
    });
    expect(repo.replace('missing', { type: 'slack', data: 'v1:ddd' }, T1)).toBeUndefined();
    expect(repo.get('missing')).toBeUndefined();
  });

  it('upserts for scripted setup', () => {
    const repo = new CredentialRepository(openDb({ path: ':memory:' }));
    expect(repo.upsert({ name: 'a', type: 'slack', data: 'v1:1' }, T0)).toMatchObject({ createdAt: T0 });
    expect(repo.upsert({ name: 'a', type: 'slack', data: 'v1:2' }, T1)).toMatchObject({
      data: 'v1:2',
      createdAt: T0,
      updatedAt: T1,
    });
  });

  it('lists metadata only, by name, and never the ciphertext', () => {
    const repo = new CredentialRepository(openDb({ path: ':memory:' }));
    repo.create({ name: 'zendesk', type: 'httpBasic', data: 'v1:zzz' }, T0);
    repo.create({ name: 'bitrix', type: 'bitrix24', data: 'v1:bbb' }, T1);
    const listed = repo.list();
    expect(listed.map((c) => c.name)).toEqual(['bitrix', 'zendesk']);
    for (const c of listed)
      expect(Object.keys(c).sort()).toEqual(['createdAt', 'lastUsedAt', 'name', 'type', 'updatedAt']);
    expect(repo.meta('bitrix')).toEqual({
      name: 'bitrix',
      type: 'bitrix24',
      createdAt: T1,
      updatedAt: T1,
      lastUsedAt: null,
    });
    expect(repo.all().map((c) => c.data)).toEqual(['v1:bbb', 'v1:zzz']);
  });

  it('records the last use and deletes', () => {
    const repo = new CredentialRepository(openDb({ path: ':memory:' }));
    repo.create({ name: 'crm', type: 'hubspot', data: 'v1:aaa' }, T0);
    repo.touch('crm', T2);
    expect(repo.meta('crm')).toMatchObject({ lastUsedAt: T2, updatedAt: T0 });
    expect(repo.delete('crm')).toBe(true);
    expect(repo.delete('crm')).toBe(false);
    expect(repo.list()).toEqual([]);
  });
});
