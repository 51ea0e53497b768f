import { expect, it } from 'vitest';
import type { AsyncOf } from '../../src/ports.js';
import type { ScheduleRepository, ScheduleRow } from '../../src/schedule-repo.js';

export const scheduleRow = (
  flowId: string,
  nextFireAt: string,
  over: Partial<ScheduleRow> = {},
): ScheduleRow => ({
  flowId,
  nodeId: 'start',
  flowVersion: 1,
  cron: '0 9 * * *',
  timezone: 'Europe/Madrid',
  missed: 'runOnce',
  nextFireAt,
  updatedAt: '2026-05-01T00:00:00.000Z',
  ...over,
});

export function scheduleRepoContract(make: () => Promise<AsyncOf<ScheduleRepository>>): void {
  it('creates, replaces, reads and removes one row per flow', async () => {
    const repo = await make();
    await repo.upsert(scheduleRow('reminders', '2026-05-04T07:00:00.000Z'));
    const replaced = scheduleRow('reminders', '2026-05-05T07:00:00.000Z', {
      nodeId: 'cron',
      flowVersion: 2,
      cron: '0 10 * * 1',
      timezone: 'UTC',
      missed: 'skip',
      updatedAt: '2026-05-02T00:00:00.000Z',
    });
    await repo.upsert(replaced);
    expect(await repo.list()).toEqual([replaced]);
    expect(await repo.get('reminders')).toEqual(replaced);
    expect(await repo.get('other')).toBeUndefined();
    expect(await repo.remove('reminders')).toBe(true);
    expect(await repo.remove('reminders')).toBe(false);
    expect(await repo.get('reminders')).toBeUndefined();
    expect(await repo.earliest()).toBeNull();
  });

  it('lists every row by flow id in byte order', async () => {
    const repo = await make();
    for (const id of ['b', 'a', 'Z']) await repo.upsert(scheduleRow(id, '2026-05-04T07:00:00.000Z'));
    expect((await repo.list()).map((r) => r.flowId)).toEqual(['Z', 'a', 'b']);
  });

  it('lists due rows earliest first, up to a limit, and knows the earliest next time', async () => {
    const repo = await make();
    await repo.upsert(scheduleRow('later', '2026-05-04T09:00:00.000Z'));
    await repo.upsert(scheduleRow('b', '2026-05-04T07:00:00.000Z'));
    await repo.upsert(scheduleRow('a', '2026-05-04T08:00:00.000Z'));
    await repo.upsert(scheduleRow('a2', '2026-05-04T08:00:00.000Z'));
    expect(await repo.earliest()).toBe('2026-05-04T07:00:00.000Z');
    expect((await repo.due('2026-05-04T08:00:00.000Z', 10)).map((r) => r.flowId)).toEqual(['b', 'a', 'a2']);
    expect((await repo.due('2026-05-04T08:00:00.000Z', 1)).map((r) => r.flowId)).toEqual(['b']);
    expect(await repo.due('2026-05-04T06:59:59.999Z', 10)).toEqual([]);
    expect((await repo.due('2026-05-04T07:00:00.000Z', 10))[0]).toEqual(
      scheduleRow('b', '2026-05-04T07:00:00.000Z'),
    );
  });

  it('claims an occurrence once: advancing from a time that already moved changes nothing', async () => {
    const repo = await make();
    await repo.upsert(scheduleRow('reminders', '2026-05-04T07:00:00.000Z'));
    const claim = { flowId: 'reminders', from: '2026-05-04T07:00:00.000Z', to: '2026-05-05T07:00:00.000Z' };
    expect(await repo.advance({ ...claim, at: '2026-05-04T07:00:00.100Z' })).toBe(true);
    expect(await repo.advance({ ...claim, at: '2026-05-04T07:00:00.200Z' })).toBe(false);
    expect(await repo.advance({ ...claim, flowId: 'missing', at: '2026-05-04T07:00:00.200Z' })).toBe(false);
    expect(await repo.get('reminders')).toMatchObject({
      nextFireAt: '2026-05-05T07:00:00.000Z',
      updatedAt: '2026-05-04T07:00:00.100Z',
    });
    expect(await repo.earliest()).toBe('2026-05-05T07:00:00.000Z');
  });
}
