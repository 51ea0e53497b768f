import { expect, it } from 'vitest';
import type { AsyncOf } from '../../src/ports.js';
import type { TemplateInput, TemplateRepository } from '../../src/template-repo.js';

type Templates = AsyncOf<TemplateRepository>;

const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-01T11:00:00.000Z';

const template = (providerId: string, name: string, more: Partial<TemplateInput> = {}): TemplateInput => ({
  providerId,
  name,
  language: 'es',
  category: 'UTILITY',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: `Hola {{1}} (${name})` }],
  quality: 'GREEN',
  rejectedReason: null,
  ...more,
});

export function templateRepoContract(make: () => Promise<Templates>): void {
  it('stores what a sync lists, replaces it on the next one, and remembers when', async () => {
    const repo = await make();
    expect(await repo.syncState('main')).toBeUndefined();
    const first = await repo.replaceChannel(
      'main',
      'waba-1',
      [
        template('1', 'seguimiento'),
        template('2', 'ofertas', { category: 'MARKETING', language: 'es' }),
        template('3', 'ofertas', { category: 'MARKETING', language: 'en_US' }),
      ],
      T1,
    );
    expect(first.map((t) => `${t.name}/${t.language}`)).toEqual([
      'ofertas/en_US',
      'ofertas/es',
      'seguimiento/es',
    ]);
    expect(first[2]).toMatchObject({
      channelId: 'main',
      wabaId: 'waba-1',
      providerId: '1',
      components: [{ type: 'BODY', text: 'Hola {{1}} (seguimiento)' }],
      lastSyncedAt: T1,
      createdAt: T1,
    });
    const id = first[2]!.id;
    // Meta deleted "ofertas"/en_US and changed seguimiento: the row keeps its id and creation time.
    const second = await repo.replaceChannel(
      'main',
      'waba-1',
      [
        template('1', 'seguimiento', { status: 'PAUSED', quality: 'RED' }),
        template('2', 'ofertas', { category: 'MARKETING' }),
      ],
      T2,
    );
    expect(second.map((t) => t.providerId)).toEqual(['2', '1']);
    expect(await repo.get(id)).toMatchObject({
      status: 'PAUSED',
      quality: 'RED',
      createdAt: T1,
      lastSyncedAt: T2,
      updatedAt: T2,
    });
    expect(await repo.syncState('main')).toEqual({
      channelId: 'main',
      wabaId: 'waba-1',
      syncedAt: T2,
      attemptedAt: T2,
      lastError: null,
    });
    // A failed sync keeps the templates and the last success.
    await repo.syncFailed('main', 'waba-1', 'Graph 500', '2026-03-01T12:00:00.000Z');
    expect(await repo.syncState('main')).toMatchObject({ syncedAt: T2, lastError: 'Graph 500' });
    expect(await repo.list({ channelId: 'main' })).toHaveLength(2);
    // An account with no templates any more.
    expect(await repo.replaceChannel('main', 'waba-1', [], T2)).toEqual([]);
  });

  it('filters by channel, status, category, language and part of the name', async () => {
    const repo = await make();
    await repo.replaceChannel(
      'a',
      'w',
      [
        template('1', 'pedido_enviado'),
        template('2', 'pedido_listo', { status: 'PENDING' }),
        template('3', 'promo_100%', { category: 'MARKETING', language: 'en_US' }),
      ],
      T1,
    );
    await repo.replaceChannel('b', 'w', [template('1', 'pedido_enviado')], T1);
    const names = async (f: Parameters<Templates['list']>[0]) =>
      (await repo.list(f)).map((t) => `${t.channelId}:${t.name}`);
    expect(await names({})).toEqual([
      'a:pedido_enviado',
      'b:pedido_enviado',
      'a:pedido_listo',
      'a:promo_100%',
    ]);
    expect(await names({ channelId: 'a', status: 'APPROVED' })).toEqual(['a:pedido_enviado', 'a:promo_100%']);
    expect(await names({ category: 'MARKETING' })).toEqual(['a:promo_100%']);
    expect(await names({ language: 'es', search: 'PEDIDO_L' })).toEqual(['a:pedido_listo']);
    // % and _ are matched literally.
    expect(await names({ search: '100%' })).toEqual(['a:promo_100%']);
    expect(await names({ search: 'o_1' })).toEqual(['a:promo_100%']);
    expect(await names({ search: '%' })).toEqual(['a:promo_100%']);
  });

  it('applies status and quality webhooks to every channel’s copy; creates one before a sync lists it', async () => {
    const repo = await make();
    await repo.replaceChannel('a', 'w', [template('7', 'aviso')], T1);
    await repo.replaceChannel('b', 'w', [template('7', 'aviso')], T1);
    const paused = await repo.applyChange({ providerId: '7', status: 'PAUSED', reason: 'LOW_QUALITY' }, T2);
    expect(paused.map((t) => [t.channelId, t.status, t.rejectedReason, t.quality, t.updatedAt])).toEqual([
      ['a', 'PAUSED', 'LOW_QUALITY', 'GREEN', T2],
      ['b', 'PAUSED', 'LOW_QUALITY', 'GREEN', T2],
    ]);
    const quality = await repo.applyChange({ providerId: '7', quality: 'YELLOW' }, T2);
    expect(quality.map((t) => [t.status, t.rejectedReason, t.quality])).toEqual([
      ['PAUSED', 'LOW_QUALITY', 'YELLOW'],
      ['PAUSED', 'LOW_QUALITY', 'YELLOW'],
    ]);
    expect(await repo.applyChange({ providerId: 'unknown', status: 'APPROVED' }, T2)).toEqual([]);
    const created = await repo.insert(
      'a',
      'w',
      template('8', 'nuevo', { status: 'PENDING', quality: null }),
      T2,
    );
    expect(created).toMatchObject({
      channelId: 'a',
      providerId: '8',
      status: 'PENDING',
      lastSyncedAt: null,
      createdAt: T2,
    });
    expect(await repo.get(created.id)).toEqual(created);
    const approved = await repo.applyChange({ providerId: '8', status: 'APPROVED', reason: null }, T2);
    expect(approved[0]?.status).toBe('APPROVED');
  });
}
