import { expect, it } from 'vitest';
import type { ChannelRepository } from '../../src/channel-repo.js';
import type { AsyncOf } from '../../src/ports.js';

type Channels = AsyncOf<ChannelRepository>;

const channel = (id: string, phoneNumberId = `pn-${id}`) => ({
  id,
  name: `Channel ${id}`,
  phoneNumberId,
  wabaId: null,
  displayPhoneNumber: '+34 600 000 000',
  secrets: 'ciphertext',
});

export function channelRepoContract(make: () => Promise<Channels>): void {
  it('creates a channel, then updates it keeping its creation time', async () => {
    const repo = await make();
    expect(await repo.upsert(channel('main'), '2026-01-01T00:00:00.000Z')).toEqual({
      ...channel('main'),
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    const changed = { ...channel('main', 'pn-new'), name: 'Renamed', wabaId: 'waba-1', secrets: 'other' };
    expect(await repo.upsert(changed, '2026-01-02T00:00:00.000Z')).toEqual({
      ...changed,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect((await repo.get('main'))?.name).toBe('Renamed');
    expect((await repo.byPhoneNumberId('pn-new'))?.id).toBe('main');
    expect(await repo.byPhoneNumberId('pn-main')).toBeUndefined();
    expect(await repo.get('missing')).toBeUndefined();
  });

  it('lists by id and deletes', async () => {
    const repo = await make();
    for (const id of ['b', 'a', 'C']) await repo.upsert(channel(id), '2026-01-01T00:00:00.000Z');
    expect((await repo.list()).map((c) => c.id)).toEqual(['C', 'a', 'b']); // byte order
    expect(await repo.delete('a')).toBe(true);
    expect(await repo.delete('a')).toBe(false);
    expect((await repo.list()).map((c) => c.id)).toEqual(['C', 'b']);
  });

  it('refuses a phone number id another channel already has', async () => {
    const repo = await make();
    await repo.upsert(channel('one', 'pn-shared'), '2026-01-01T00:00:00.000Z');
    await expect(repo.upsert(channel('two', 'pn-shared'), '2026-01-01T00:00:00.000Z')).rejects.toThrow();
    expect((await repo.list()).map((c) => c.id)).toEqual(['one']);
  });
}
