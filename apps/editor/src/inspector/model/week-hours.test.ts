import { describe, expect, it } from 'vitest';
import { copyDay, HOURS_PRESETS, hoursProblem, scheduleOf, weekGrid } from './week-hours';

describe('week hours', () => {
  it('reads a schedule into a weekday grid and back, grouping days with the same hours', () => {
    const schedule = [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '14:00' },
      { days: ['mon', 'tue', 'wed', 'thu'], from: '16:00', to: '19:00' },
      { days: ['sat'], from: '10:00', to: '24:00' },
    ];
    const grid = weekGrid(schedule);
    expect(grid?.mon).toEqual([
      { from: '09:00', to: '14:00' },
      { from: '16:00', to: '19:00' },
    ]);
    expect(grid?.fri).toEqual([{ from: '09:00', to: '14:00' }]);
    expect(grid?.sun).toEqual([]);
    expect(scheduleOf(grid!)).toEqual(schedule);
  });

  it('refuses what it cannot show without losing it', () => {
    expect(weekGrid([{ days: ['mon'], from: '9:00', to: '18:00' }])).toBeNull();
    expect(weekGrid([{ days: ['monday'], from: '09:00', to: '18:00' }])).toBeNull();
    expect(weekGrid('x')).toBeNull();
    expect(weekGrid(undefined)?.mon).toEqual([]);
  });

  it('checks intervals and copies days', () => {
    expect(hoursProblem({ from: '18:00', to: '09:00' }, [])).toBe('hours.closesBeforeOpen');
    const day = [
      { from: '09:00', to: '14:00' },
      { from: '13:00', to: '19:00' },
    ];
    expect(hoursProblem(day[1]!, day)).toBe('hours.overlap');
    expect(hoursProblem({ from: '00:00', to: '24:00' }, [])).toBeNull();
    const grid = copyDay(HOURS_PRESETS.officeHours!, 'mon', ['sat']);
    expect(grid.sat).toEqual([{ from: '09:00', to: '18:00' }]);
    expect(scheduleOf(HOURS_PRESETS.always!)).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' },
    ]);
  });
});
