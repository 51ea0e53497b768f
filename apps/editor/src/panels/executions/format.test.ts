import type { RunSummary } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { appendRunPage, createdWithin, formatDuration, mergeRunLists, runDurationMs } from './format';

function run(id: string, createdAt: string, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    flowId: 'f',
    flowVersion: 1,
    status: 'succeeded',
    triggerNodeId: 't',
    contactId: null,
    error: null,
    createdAt,
    startedAt: createdAt,
    finishedAt: null,
    wakeAt: null,
    ...extra,
  };
}

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [340, '340 ms'],
    [4_230, '4.2 s'],
    [42_000, '42 s'],
    [185_000, '3 min 5 s'],
    [120_000, '2 min'],
    [7_380_000, '2 h 3 min'],
    [3 * 86_400_000, '3 d'],
  ])('%i ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('runDurationMs', () => {
  it('measures to the end, or to now while unfinished', () => {
    const started = run('a', '2026-01-01T00:00:00.000Z');
    expect(runDurationMs({ ...started, finishedAt: '2026-01-01T00:00:01.500Z' }, 0)).toBe(1_500);
    expect(runDurationMs(started, Date.parse('2026-01-01T00:00:03.000Z'))).toBe(3_000);
  });
});

describe('run lists', () => {
  const a = run('a', '2026-01-01T00:00:01.000Z');
  const b = run('b', '2026-01-01T00:00:02.000Z', { status: 'running' });
  it('folds a fresh first page in: new runs on top, changed statuses updated', () => {
    const c = run('c', '2026-01-01T00:00:03.000Z');
    const merged = mergeRunLists([b, a], [c, { ...b, status: 'succeeded' }]);
    expect(merged.map((r) => `${r.id}:${r.status}`)).toEqual(['c:succeeded', 'b:succeeded', 'a:succeeded']);
  });
  it('appends a next page without repeating runs', () => {
    expect(appendRunPage([b, a], [a, run('z', '2025-12-31T00:00:00.000Z')]).map((r) => r.id)).toEqual([
      'b',
      'a',
      'z',
    ]);
  });
  it('filters by creation time with open ends', () => {
    expect(createdWithin(a, '2026-01-01T00:00:00.000Z', null)).toBe(true);
    expect(createdWithin(a, null, '2026-01-01T00:00:00.500Z')).toBe(false);
    expect(createdWithin(a, null, null)).toBe(true);
  });
});
