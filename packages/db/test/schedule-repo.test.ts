import { describe, expect, it } from 'vitest';
import { openDb } from '../src/connection.js';
import { ScheduleRepository, type ScheduleRow } from '../src/schedule-repo.js';

const row = (flowId: string, nextFireAt: string, over: Partial<ScheduleRow> = {}): ScheduleRow => ({
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

describe('schedule repository', () => {
  it('creates, replaces, reads and removes one row per flow', () => {
    const repo = new ScheduleRepository(openDb({ path: ':memory:' }));
    repo.upsert(row('reminders', '2026-05-04T07:00:00.000Z'));
    repo.upsert(row('reminders', '2026-05-05T07:00:00.000Z', { flowVersion: 2, missed: 'skip' }));
    expect(repo.list()).toEqual([
      row('reminders', '2026-05-05T07:00:00.000Z', { flowVersion: 2, missed: 'skip' }),
    ]);
    expect(repo.get('reminders')?.flowVersion).toBe(2);
    expect(repo.remove('reminders')).toBe(true);
    expect(repo.remove('reminders')).toBe(false);
    expect(repo.get('reminders')).toBeUndefined();
    expect(repo.earliest()).toBeNull();
  });

  it('lists due rows earliest first, up to a limit, and knows the earliest next time', () => {
    const repo = new ScheduleRepository(openDb({ path: ':memory:' }));
    repo.upsert(row('later', '2026-05-04T09:00:00.000Z'));
    repo.upsert(row('b', '2026-05-04T07:00:00.000Z'));
    repo.upsert(row('a', '2026-05-04T08:00:00.000Z'));
    expect(repo.earliest()).toBe('2026-05-04T07:00:00.000Z');
    expect(repo.due('2026-05-04T08:00:00.000Z', 10).map((r) => r.flowId)).toEqual(['b', 'a']);
    expect(repo.due('2026-05-04T08:00:00.000Z', 1).map((r) => r.flowId)).toEqual(['b']);
    expect(repo.due('2026-05-04T06:59:59.999Z', 10)).toEqual([]);
  });

  it('claims an occurrence once: advancing from a time that already moved changes nothing', () => {
    const db = openDb({ path: ':memory:' });
    const repo = new ScheduleRepository(db);
    repo.upsert(row('reminders', '2026-05-04T07:00:00.000Z'));
    const claim = { flowId: 'reminders', from: '2026-05-04T07:00:00.000Z', to: '2026-05-05T07:00:00.000Z' };
    expect(repo.advance({ ...claim, at: '2026-05-04T07:00:00.100Z' })).toBe(true);
    expect(repo.advance({ ...claim, at: '2026-05-04T07:00:00.200Z' })).toBe(false);
    expect(repo.get('reminders')).toMatchObject({
      nextFireAt: '2026-05-05T07:00:00.000Z',
      updatedAt: '2026-05-04T07:00:00.100Z',
    });
    // Inside a caller's transaction that rolls back, the move is undone with it.
    expect(() =>
      db.$client.transaction(() => {
        repo.advance({ flowId: 'reminders', from: claim.to, to: '2026-05-06T07:00:00.000Z', at: 'x' });
        throw new Error('run creation failed');
      })(),
    ).toThrow('run creation failed');
    expect(repo.get('reminders')?.nextFireAt).toBe('2026-05-05T07:00:00.000Z');
  });
});
