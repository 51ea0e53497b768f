import { expect, it } from 'vitest';
import type { CrmSyncMessage, CrmSyncRepository } from '../../src/crm-sync-repo.js';
import type { AsyncOf } from '../../src/ports.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:00:10.000Z';
const T2 = '2026-03-01T10:05:00.000Z';

type Repo = AsyncOf<CrmSyncRepository>;

const message = (messageId: string, over: Partial<CrmSyncMessage> = {}): CrmSyncMessage => ({
  channel: 'default',
  messageId,
  direction: 'in',
  waId: '34600000001',
  name: 'Ana',
  text: 'Hola',
  messageAt: T0,
  provider: 'hubspot',
  at: T0,
  ...over,
});

/** The behaviours of CrmSyncRepository that the server relies on, on any database. */
export function crmSyncRepoContract(make: () => Promise<Repo>): void {
  it('keeps one setting per channel, replaced by a second put, and removes it', async () => {
    const repo = await make();
    expect(await repo.setting('default')).toBeUndefined();
    const input = { channel: 'default', provider: 'hubspot', credential: 'hs', logAs: 'note', enabled: true };
    expect(await repo.putSetting(input, T0)).toMatchObject({ ...input, createdAt: T0, updatedAt: T0 });
    const changed = await repo.putSetting({ ...input, provider: 'bitrix24', credential: 'b24' }, T1);
    expect(changed).toMatchObject({ provider: 'bitrix24', credential: 'b24', createdAt: T0, updatedAt: T1 });
    await repo.putSetting({ ...input, channel: 'ventas', enabled: false }, T1);
    expect((await repo.settings()).map((s) => [s.channel, s.enabled])).toEqual([
      ['default', true],
      ['ventas', false],
    ]);
    expect(await repo.removeSetting('ventas')).toBe(true);
    expect(await repo.removeSetting('ventas')).toBe(false);
    expect(await repo.setting('ventas')).toBeUndefined();
  });

  it('adds one record per channel and message id: the same message again adds nothing', async () => {
    const repo = await make();
    expect(await repo.enqueue(message('wamid.1'))).toBe(true);
    expect(await repo.enqueue(message('wamid.1', { text: 'again' }))).toBe(false);
    expect(await repo.enqueue(message('wamid.1', { channel: 'ventas' }))).toBe(true);
    const list = await repo.list('default');
    expect(list.map((r) => [r.messageId, r.text, r.status, r.attempts])).toEqual([
      ['wamid.1', 'Hola', 'pending', 0],
    ]);
    expect(list[0]).toMatchObject({ direction: 'in', waId: '34600000001', name: 'Ana', messageAt: T0 });
  });

  it('claims due records once, keeps the contact an attempt found, and retries at the given time', async () => {
    const repo = await make();
    await repo.enqueue(message('a'));
    await repo.enqueue(message('b', { at: T1 }));
    const first = await repo.claimDue(T0, 10, 60_000);
    expect(first.map((r) => [r.messageId, r.status, r.attempts, r.firstAttemptAt])).toEqual([
      ['a', 'syncing', 1, T0],
    ]);
    expect(await repo.claimDue(T0, 10, 60_000)).toEqual([]);
    await repo.noteContact(first[0]!.id, '1001', true);
    const retried = await repo.record({
      id: first[0]!.id,
      at: T0,
      outcome: 'retry',
      retryAt: T2,
      error: 'HTTP 503',
    });
    expect(retried).toMatchObject({
      status: 'pending',
      nextAttemptAt: T2,
      lastError: 'HTTP 503',
      crmContactId: '1001',
      contactCreated: true,
    });
    const b = await repo.claimDue(T1, 10, 60_000);
    expect(b.map((r) => r.messageId)).toEqual(['b']);
    await repo.record({ id: b[0]!.id, at: T1, outcome: 'synced', crmRecordId: '76' });
    const again = await repo.claimDue(T2, 10, 60_000);
    expect(again.map((r) => [r.messageId, r.attempts, r.firstAttemptAt, r.crmContactId])).toEqual([
      ['a', 2, T0, '1001'],
    ]);
    const synced = await repo.record({ id: again[0]!.id, at: T2, outcome: 'synced', crmRecordId: '77' });
    expect(synced).toMatchObject({
      status: 'synced',
      syncedAt: T2,
      crmRecordId: '77',
      lastError: null,
      contactCreated: true,
    });
    // A result for a record no longer claimed changes nothing.
    expect(await repo.record({ id: again[0]!.id, at: T2, outcome: 'dead', error: 'late' })).toBeUndefined();
    expect((await repo.get(again[0]!.id))?.status).toBe('synced');
  });

  it('takes back a record whose worker died once its claim lapsed', async () => {
    const repo = await make();
    await repo.enqueue(message('a'));
    await repo.claimDue(T0, 10, 5_000);
    expect(await repo.claimDue(T1, 10, 5_000)).toHaveLength(1);
  });

  it('replays dead records only (one, or all of a channel); a synced one is never logged again', async () => {
    const repo = await make();
    for (const id of ['a', 'b', 'c']) await repo.enqueue(message(id));
    const claimed = await repo.claimDue(T0, 10);
    const [a, b, c] = ['a', 'b', 'c'].map((m) => claimed.find((r) => r.messageId === m));
    await repo.record({ id: a!.id, at: T0, outcome: 'dead', error: 'HTTP 401' });
    await repo.record({ id: b!.id, at: T0, outcome: 'dead', error: 'HTTP 401' });
    await repo.record({ id: c!.id, at: T0, outcome: 'synced', crmRecordId: '9' });
    expect((await repo.list('default', { status: 'dead' })).map((r) => r.messageId).sort()).toEqual([
      'a',
      'b',
    ]);
    expect(await repo.replay('default', c!.id, T1)).toBeUndefined();
    expect(await repo.replay('ventas', a!.id, T1)).toBeUndefined();
    expect(await repo.replay('default', a!.id, T1)).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T1,
      lastError: null,
    });
    expect(await repo.replayDead('default', T1)).toBe(1);
    expect(await repo.replayDead('default', T1)).toBe(0);
    expect((await repo.claimDue(T1, 10)).map((r) => r.messageId).sort()).toEqual(['a', 'b']);
  });
}
