import { describe, expect, it } from 'vitest';
import { chartRows, emptyDraft, errorRows, ruleBody, withUnit } from './model';
import type { MonitoringPoint } from './types';

const point = (at: string, errors: Record<string, number> = {}, over: Partial<MonitoringPoint> = {}) =>
  ({ at, errors, sendsFailed: 0, sendsRetried: 0, ...over }) as MonitoringPoint;

describe('the monitoring page model', () => {
  it('lists error codes most frequent first, with a count per point', () => {
    const { codes, rows } = errorRows([
      point('2026-03-01T10:00:00.000Z', { '131026': 1, '130429': 2 }),
      point('2026-03-01T10:01:00.000Z', { '131026': 3 }),
    ]);
    expect(codes).toEqual(['131026', '130429']);
    expect(rows).toEqual([
      { code_131026: 1, code_130429: 2 },
      { code_131026: 3, code_130429: 0 },
    ]);
  });

  it('labels points by clock time and adds failed and retried sends', () => {
    const [row] = chartRows(
      [point('2026-03-01T10:05:00.000Z', {}, { sendsFailed: 2, sendsRetried: 1 })],
      'UTC',
    );
    expect(row!.time).toMatch(/10.05/);
    expect(row!.sendsFailedAll).toBe(3);
  });

  it('turns a valid draft into the API body and names what is wrong otherwise', () => {
    const draft = {
      ...emptyDraft('send_failure_ratio'),
      name: ' Failed sends ',
      threshold: '5',
      durationSeconds: '600',
      notifyTarget: 'ops',
    };
    expect(ruleBody(draft)).toEqual({
      ok: true,
      body: {
        name: 'Failed sends',
        metric: 'send_failure_ratio',
        comparison: '>',
        threshold: 5,
        durationSeconds: 600,
        notify: { kind: 'slack', target: 'ops' },
        enabled: true,
      },
    });
    expect(
      ruleBody({
        ...draft,
        name: '',
        threshold: 'x',
        durationSeconds: '-1',
        notifyKind: 'http',
        notifyTarget: 'ftp://x',
      }),
    ).toEqual({
      ok: false,
      problems: {
        name: 'monitoring.problem.name',
        threshold: 'monitoring.problem.number',
        durationSeconds: 'monitoring.problem.duration',
        notifyTarget: 'monitoring.problem.url',
      },
    });
  });

  it('shows values with their unit', () => {
    expect(withUnit(12.345, '%')).toBe('12.35 %');
    expect(withUnit(61, 's')).toBe('61 s');
    expect(withUnit(3, 'count')).toBe('3');
  });
});
