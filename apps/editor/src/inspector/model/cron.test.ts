import { describe, expect, it } from 'vitest';
import { cronOf, describeCron, nextRuns, parseCron, presetOf } from './cron';

describe('cron presets', () => {
  it('writes the expression of each preset', () => {
    expect(cronOf({ kind: 'everyMinutes', every: 15 })).toBe('*/15 * * * *');
    expect(cronOf({ kind: 'hourly', minute: 30 })).toBe('30 * * * *');
    expect(cronOf({ kind: 'daily', time: '09:05' })).toBe('5 9 * * *');
    expect(cronOf({ kind: 'weekdays', time: '18:00' })).toBe('0 18 * * 1-5');
    expect(cronOf({ kind: 'weekly', days: [5, 1, 1], time: '08:30' })).toBe('30 8 * * 1,5');
    expect(cronOf({ kind: 'monthly', day: 1, time: '10:00' })).toBe('0 10 1 * *');
  });

  it('reads expressions back into presets', () => {
    for (const cron of [
      '*/15 * * * *',
      '30 * * * *',
      '5 9 * * *',
      '0 18 * * 1-5',
      '30 8 * * 1,5',
      '0 10 1 * *',
    ]) {
      expect(cronOf(presetOf(cron))).toBe(cron);
    }
    expect(presetOf('@daily')).toEqual({ kind: 'daily', time: '00:00' });
    expect(presetOf('0 0 9 * * MON-FRI')).toEqual({ kind: 'weekdays', time: '09:00' });
    expect(presetOf('0 9-17 * * *')).toEqual({ kind: 'custom' });
    expect(presetOf('0 9 * 1 *')).toEqual({ kind: 'custom' });
  });

  it('describes an expression for people', () => {
    expect(describeCron('0 9 * * 1-5')).toEqual({ key: 'cron.desc.weekdays', vars: { time: '09:00' } });
    expect(describeCron('0 9 * * 6,0')).toEqual({
      key: 'cron.desc.weekly',
      vars: { time: '09:00' },
      days: [0, 6],
    });
    expect(describeCron('*/1 * * * *')?.key).toBe('cron.desc.everyMinute');
    expect(describeCron('0 9-17 * * *')?.key).toBe('cron.desc.custom');
    expect(describeCron('61 * * * *')).toBeNull();
  });
});

describe('parseCron', () => {
  it('reads lists, ranges, steps, names and 6-field expressions', () => {
    const read = parseCron('0 0 8-10/2 * jan,Dec SUN,7');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect([...read.cron.hours]).toEqual([8, 10]);
    expect([...read.cron.months]).toEqual([1, 12]);
    expect([...read.cron.daysOfWeek]).toEqual([0]);
  });

  it('tells errors from forms it does not read', () => {
    expect(parseCron('61 * * * *')).toMatchObject({ ok: false, kind: 'error', field: 0 });
    expect(parseCron('* * *')).toMatchObject({ ok: false, kind: 'error', message: 'fieldCount' });
    expect(parseCron('0 9 L * *')).toMatchObject({ ok: false, kind: 'unsupported' });
    expect(parseCron('@often')).toMatchObject({ ok: false, kind: 'error' });
  });
});

describe('nextRuns', () => {
  const at = (iso: string) => new Date(iso).getTime();

  it('finds weekday mornings in the schedule time zone', () => {
    const read = parseCron('0 9 * * 1-5');
    if (!read.ok) throw new Error('parse');
    // Friday 2026-05-01 10:00 in Madrid (UTC+2): next are Monday and Tuesday at 09:00 local.
    const runs = nextRuns(read.cron, 'Europe/Madrid', at('2026-05-01T08:00:00Z'), 2);
    expect(runs.map((t) => new Date(t).toISOString())).toEqual([
      '2026-05-04T07:00:00.000Z',
      '2026-05-05T07:00:00.000Z',
    ]);
  });

  it('uses OR when both day fields are set, as classic cron does', () => {
    const read = parseCron('0 12 1 * 1');
    if (!read.ok) throw new Error('parse');
    const runs = nextRuns(read.cron, 'UTC', at('2026-05-30T00:00:00Z'), 3);
    expect(runs.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual([
      '2026-06-01',
      '2026-06-08',
      '2026-06-15',
    ]);
  });

  it('keeps up with intervals and far-away yearly dates', () => {
    const every = parseCron('*/20 * * * *');
    const yearly = parseCron('@yearly');
    if (!every.ok || !yearly.ok) throw new Error('parse');
    expect(
      nextRuns(every.cron, 'UTC', at('2026-05-01T10:05:00Z'), 2).map((t) => new Date(t).toISOString()),
    ).toEqual(['2026-05-01T10:20:00.000Z', '2026-05-01T10:40:00.000Z']);
    expect(
      new Date(nextRuns(yearly.cron, 'America/Mexico_City', at('2026-05-01T00:00:00Z'), 1)[0]!).toISOString(),
    ).toBe('2027-01-01T06:00:00.000Z');
  });
});
