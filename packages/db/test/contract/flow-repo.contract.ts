import type { RunStore } from '@switchboard/engine';
import { expect, it } from 'vitest';
import type { FlowRepository } from '../../src/flow-repo.js';
import type { AsyncOf } from '../../src/ports.js';
import { parkedRun, queuedRun, succeededRun } from './flows-area-fixtures.js';

export interface FlowFixture {
  repo: AsyncOf<FlowRepository>;
  /** Runs in the same database (delete cancels the flow's unfinished ones). */
  store: RunStore;
}

const doc = (name: string, over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  id: 'welcome',
  name,
  description: '',
  nodes: [],
  edges: [],
  ...over,
});

/** A clock the test moves by hand. */
function manualClock(start = '2026-01-01T00:00:00.000Z') {
  let at = new Date(start);
  return {
    now: () => at,
    set: (iso: string) => {
      at = new Date(iso);
    },
  };
}

export function flowRepoContract(make: (now: () => Date) => Promise<FlowFixture>): void {
  it('moves its change marker on every save, activation and deletion, and only then', async () => {
    const clock = manualClock();
    const { repo } = await make(clock.now);
    const seen = [await repo.changeMarker()];
    const moved = async () => {
      const marker = await repo.changeMarker();
      const changed = marker !== seen.at(-1);
      seen.push(marker);
      return changed;
    };
    await repo.save(doc('v1'));
    expect(await moved()).toBe(true);
    await repo.save(doc('v1')); // unchanged: nothing written
    expect(await moved()).toBe(false);
    // Same millisecond as the previous write: still seen (the version count moves).
    await repo.save(doc('v2'));
    expect(await moved()).toBe(true);
    await repo.setActive('welcome', true);
    expect(await moved()).toBe(true);
    clock.set('2026-01-01T00:00:01.000Z');
    await repo.delete('welcome');
    expect(await moved()).toBe(true);
  });

  it('keeps every changed version and adds none for an identical save', async () => {
    const { repo } = await make(() => new Date());
    expect(await repo.save(doc('v1'))).toMatchObject({ created: true, changed: true, flow: { version: 1 } });
    expect(await repo.save(doc('v1'))).toMatchObject({
      created: false,
      changed: false,
      flow: { version: 1 },
    });
    expect(await repo.save(doc('v2'))).toMatchObject({ changed: true, flow: { version: 2, name: 'v2' } });
    expect((await repo.versions('welcome')).map((v) => v.version)).toEqual([2, 1]);
    expect(await repo.getVersion('welcome', 1)).toEqual(doc('v1'));
    expect(await repo.getVersion('welcome', 3)).toBeUndefined();
    expect((await repo.get('welcome'))?.document).toEqual(doc('v2'));
  });

  it('returns records with the times of the clock, and moves updatedAt only on a change', async () => {
    const clock = manualClock();
    const { repo } = await make(clock.now);
    const first = await repo.save(doc('v1', { description: 'hi' }));
    expect(first.flow).toEqual({
      id: 'welcome',
      name: 'v1',
      description: 'hi',
      active: false,
      version: 1,
      valid: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    clock.set('2026-01-02T00:00:00.000Z');
    expect((await repo.save(doc('v1', { description: 'hi' }))).flow.updatedAt).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    clock.set('2026-01-03T00:00:00.000Z');
    expect((await repo.save(doc('v2'))).flow).toMatchObject({
      description: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-03T00:00:00.000Z',
    });
    expect(await repo.versions('welcome')).toEqual([
      { version: 2, valid: true, createdAt: '2026-01-03T00:00:00.000Z' },
      { version: 1, valid: true, createdAt: '2026-01-01T00:00:00.000Z' },
    ]);
    clock.set('2026-01-04T00:00:00.000Z');
    expect(await repo.setActive('welcome', true)).toMatchObject({
      active: true,
      updatedAt: '2026-01-04T00:00:00.000Z',
    });
    expect(await repo.setActive('missing', true)).toBeUndefined();
    expect(await repo.get('missing')).toBeUndefined();
  });

  it('stores drafts, and records a new validity for an unchanged document without a new version', async () => {
    const { repo } = await make(() => new Date());
    expect((await repo.save(doc('v1'), { valid: false })).flow).toMatchObject({ version: 1, valid: false });
    expect(await repo.save(doc('v1'), { valid: true })).toMatchObject({
      changed: false,
      flow: { valid: true },
    });
    expect((await repo.versions('welcome')).map((v) => [v.version, v.valid])).toEqual([[1, true]]);
    expect((await repo.save(doc('v2'), { valid: false })).flow).toMatchObject({ version: 2, valid: false });
    expect((await repo.list())[0]?.valid).toBe(false);
  });

  it('compares documents with their key order: the same keys reordered are a new version', async () => {
    const { repo } = await make(() => new Date());
    await repo.save({ id: 'welcome', name: 'w', a: 1, b: 2 });
    expect((await repo.save({ id: 'welcome', name: 'w', b: 2, a: 1 })).changed).toBe(true);
    expect(Object.keys((await repo.getVersion('welcome', 2)) ?? {})).toEqual(['id', 'name', 'b', 'a']);
  });

  it('searches, activates and deletes, cancelling the flow’s unfinished runs', async () => {
    const { repo, store } = await make(() => new Date('2026-02-01T00:00:00.000Z'));
    await repo.save(doc('Bienvenida'));
    await repo.save({ ...doc('Soporte 100%'), id: 'support' });
    await repo.save({ ...doc('under_score'), id: 'other' });
    expect((await repo.list({ search: 'bienv' })).map((f) => f.id)).toEqual(['welcome']);
    expect((await repo.list({ search: '100%' })).map((f) => f.id)).toEqual(['support']);
    expect((await repo.list({ search: 'SUPP' })).map((f) => f.id)).toEqual(['support']);
    expect((await repo.list({ search: 'r_s' })).map((f) => f.id)).toEqual(['other']);
    expect((await repo.list({ search: '_' })).map((f) => f.id)).toEqual(['other']);
    expect((await repo.setActive('welcome', true))?.active).toBe(true);
    expect((await repo.list({ active: true })).map((f) => f.id)).toEqual(['welcome']);
    expect((await repo.list({ active: false })).map((f) => f.id)).toEqual(['support', 'other']);
    await queuedRun(store, 'r1', { flowId: 'welcome' });
    await parkedRun(store, 'r2', ['status:m1:read'], { flowId: 'welcome' });
    await succeededRun(store, 'r3', [1], {}, { flowId: 'welcome' });
    await queuedRun(store, 'r4', { flowId: 'support' });
    expect(await repo.delete('welcome')).toBe(true);
    expect(await repo.delete('welcome')).toBe(false);
    expect(await repo.delete('missing')).toBe(false);
    expect(await repo.get('welcome')).toBeUndefined();
    expect(await repo.setActive('welcome', true)).toBeUndefined();
    expect(await store.getRun('r1')).toMatchObject({
      status: 'cancelled',
      finishedAt: '2026-02-01T00:00:00.000Z',
    });
    expect((await store.getRun('r2'))?.status).toBe('cancelled');
    expect((await store.getRun('r3'))?.status).toBe('succeeded');
    expect((await store.getRun('r4'))?.status).toBe('queued');
    // The cancelled run's wait is gone: delivering its key wakes nothing.
    expect(await store.fireWaits({ key: 'status:m1:read', payload: null, now: new Date() })).toEqual([]);
    expect(await repo.getVersion('welcome', 1)).toEqual(doc('Bienvenida'));
    expect((await repo.list()).map((f) => f.id)).toEqual(['support', 'other']);
  });

  it('brings a deleted flow back on save, as created, continuing its versions', async () => {
    const { repo } = await make(() => new Date());
    await repo.save(doc('v1'));
    await repo.setActive('welcome', true);
    await repo.delete('welcome');
    expect(await repo.save(doc('v1'))).toMatchObject({
      created: true,
      changed: false,
      flow: { version: 1, active: false },
    });
    expect(await repo.save(doc('v2'))).toMatchObject({ created: false, flow: { version: 2 } });
  });

  it('lists by name in byte order (upper case before lower case)', async () => {
    const { repo } = await make(() => new Date());
    for (const [id, name] of [
      ['c', 'beta'],
      ['a', 'Zulu'],
      ['b', 'alpha'],
    ])
      await repo.save(doc(name ?? '', { id }));
    expect((await repo.list()).map((f) => f.name)).toEqual(['Zulu', 'alpha', 'beta']);
  });
}
