import { validateFlow } from '@switchboard/flow-schema';
import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';
import { cronProblem, latestOccurrence, nextOccurrence } from '../cron.js';
import { scheduleOf, schedulePayload } from './schedule-trigger.js';

/** The next `n` occurrences after `from`, as ISO strings. */
function occurrences(cron: string, timezone: string, from: string, n: number): string[] {
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence({ cron, timezone }, at);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  return out;
}

const flowWith = (params: object) => ({
  schemaVersion: 1,
  id: 'reminders',
  name: 'Reminders',
  nodes: [{ id: 'start', type: 'trigger.schedule', position: { x: 0, y: 0 }, params }],
  edges: [],
});

describe('trigger.schedule: next occurrences in a time zone', () => {
  it('fires every day at 09:00 Madrid time on both sides of the spring-forward of 2026-03-29', () => {
    expect(occurrences('0 9 * * *', 'Europe/Madrid', '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T08:00:00.000Z', // CET, UTC+1
      '2026-03-29T07:00:00.000Z', // CEST, UTC+2, the day the clocks change
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('fires every day at 09:00 Madrid time on both sides of the fall-back of 2026-10-25', () => {
    expect(occurrences('0 9 * * *', 'Europe/Madrid', '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T07:00:00.000Z', // CEST
      '2026-10-25T08:00:00.000Z', // CET, the day the clocks change
      '2026-10-26T08:00:00.000Z',
    ]);
  });

  it('fires a time the spring-forward skips right after the gap, and a repeated time only once', () => {
    // 02:30 does not exist in Madrid on 2026-03-29 (02:00 → 03:00): it fires at 03:00 local.
    expect(occurrences('30 2 * * *', 'Europe/Madrid', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    // 02:30 happens twice on 2026-10-25 (03:00 → 02:00): it fires on the first one only.
    expect(occurrences('30 2 * * *', 'Europe/Madrid', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    // An interval keeps its pace through the repeated hour: every 30 minutes of real time.
    expect(occurrences('*/30 * * * *', 'Europe/Madrid', '2026-10-25T00:10:00Z', 4)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T01:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ]);
  });

  it('keeps Mexico City at UTC-6 all year (no DST since 2022), including the old April change date', () => {
    expect(occurrences('0 9 * * *', 'America/Mexico_City', '2026-04-04T00:00:00Z', 3)).toEqual([
      '2026-04-04T15:00:00.000Z',
      '2026-04-05T15:00:00.000Z',
      '2026-04-06T15:00:00.000Z',
    ]);
    expect(occurrences('0 9 * * *', 'America/Mexico_City', '2026-10-24T00:00:00Z', 3)).toEqual([
      '2026-10-24T15:00:00.000Z',
      '2026-10-25T15:00:00.000Z',
      '2026-10-26T15:00:00.000Z',
    ]);
  });

  it('understands weekdays, names, shortcuts and seconds', () => {
    // 2026-05-08 is a Friday: the next weekday 09:00 after Friday noon is Monday.
    expect(occurrences('0 9 * * mon-fri', 'UTC', '2026-05-08T12:00:00Z', 1)).toEqual([
      '2026-05-11T09:00:00.000Z',
    ]);
    expect(occurrences('@daily', 'Europe/Madrid', '2026-05-08T12:00:00Z', 1)).toEqual([
      '2026-05-08T22:00:00.000Z',
    ]);
    expect(occurrences('*/5 * * * * *', 'UTC', '2026-05-08T12:00:01.500Z', 2)).toEqual([
      '2026-05-08T12:00:05.000Z',
      '2026-05-08T12:00:10.000Z',
    ]);
  });

  it('finds the latest occurrence at or before a time (what a catch-up after downtime fires)', () => {
    const daily = { cron: '0 9 * * *', timezone: 'Europe/Madrid' };
    expect(latestOccurrence(daily, new Date('2026-05-04T07:00:00.000Z'))?.toISOString()).toBe(
      '2026-05-04T07:00:00.000Z',
    );
    expect(latestOccurrence(daily, new Date('2026-05-06T06:59:59.999Z'))?.toISOString()).toBe(
      '2026-05-05T07:00:00.000Z',
    );
    expect(latestOccurrence(daily, new Date('2026-10-25T09:00:00Z'))?.toISOString()).toBe(
      '2026-10-25T08:00:00.000Z',
    );
  });
});

describe('trigger.schedule: params', () => {
  it('reports a bad cron or time zone through validateFlow, naming the field and the reason', () => {
    const bad = validateFlow(flowWith({ cron: '61 * * * *', timezone: 'Mars/Olympus' }), registry);
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => [p.path, p.code, p.message])).toEqual([
      [
        '$.nodes[0].params.cron',
        'invalid_params',
        'cron: "61 * * * *" is not a valid cron expression: minute 61 out of range (0-59)',
      ],
      [
        '$.nodes[0].params.timezone',
        'invalid_params',
        'timezone: "Mars/Olympus" is not a known IANA time zone (e.g. "Europe/Madrid", "America/Mexico_City", "UTC")',
      ],
    ]);
    expect(validateFlow(flowWith({ cron: '0 9 * * *', timezone: 'Europe/Madrid' }), registry).ok).toBe(true);
  });

  it('refuses {{ }} references in the schedule: the server reads it from the saved flow', () => {
    const problems = validateFlow(flowWith({ cron: '{{ vars.when }}' }), registry).problems;
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['$.nodes[0].params', 'cron: a schedule cannot use {{ }} references; write the value'],
    ]);
  });

  it('explains each kind of bad expression', () => {
    expect(cronProblem('0 9 * *')).toMatch(/^expected 5 fields .* got 4$/);
    expect(cronProblem('0 9 * 13 *')).toBe('month 13 out of range (1-12)');
    expect(cronProblem('0 9 32 * *')).toBe('day of month 32 out of range (1-31)');
    expect(cronProblem('0 24 * * *')).toBe('hour 24 out of range (0-23)');
    expect(cronProblem('60 0 9 * * *')).toBe('second 60 out of range (0-59)');
    expect(cronProblem('0 9 * * 1-9')).toBe('day of week 9 out of range (0-7)');
    expect(cronProblem('0 9 30 2 *')).toBe('it never matches a date (e.g. 30 February)');
    expect(cronProblem('@sometimes')).toMatch(/^unknown shortcut @sometimes/);
    expect(cronProblem('x 9 * * *')).toMatch(/illegal characters/);
    expect(cronProblem('*/0 * * * *')).toMatch(/illegal stepping/);
    for (const ok of ['0 9 * * *', '*/15 8-20 * * 1-5', '0 0 1 jan *', '@hourly', '30 */2 * * * *'])
      expect(cronProblem(ok)).toBeNull();
  });

  it("settles the time zone (the flow's by default) and refuses payload keys the schedule sets", () => {
    expect(scheduleOf({ cron: '0 9 * * *', payload: { kind: 'reminder' } }, 'America/Mexico_City')).toEqual({
      ok: true,
      schedule: {
        cron: '0 9 * * *',
        timezone: 'America/Mexico_City',
        missed: 'runOnce',
        payload: { kind: 'reminder' },
      },
    });
    const own = scheduleOf({ cron: '0 9 * * *', timezone: 'Europe/Madrid', missed: 'skip' }, 'UTC');
    expect(own.ok && own.schedule).toMatchObject({ timezone: 'Europe/Madrid', missed: 'skip' });
    const reserved = scheduleOf({ cron: '0 9 * * *', payload: { scheduledFor: 'x' } }, 'UTC');
    expect(reserved).toEqual({
      ok: false,
      message: 'payload: firedAt, scheduledFor, cron, timezone are set by the schedule itself',
    });
    expect(
      registry.get('trigger.schedule')!.params.safeParse({ cron: '0 9 * * *', missed: 'later' }).success,
    ).toBe(false);
  });
});

describe('trigger.schedule: through the engine', () => {
  it('starts the run with the schedule payload, readable as {{ trigger.* }}', async () => {
    const parsed = scheduleOf({ cron: '0 9 * * *', payload: { list: 'mañana' } }, 'Europe/Madrid');
    if (!parsed.ok) throw new Error(parsed.message);
    const payload = schedulePayload(parsed.schedule, {
      firedAt: new Date('2026-05-04T07:00:00.120Z'),
      scheduledFor: new Date('2026-05-04T07:00:00.000Z'),
    });
    const run = await runFlow(
      [
        {
          id: 'log',
          type: 'action.log',
          params: { message: '{{ trigger.list }} @ {{ trigger.scheduledFor }}' },
        },
      ],
      ['start->log'],
      payload,
      { trigger: 'trigger.schedule', triggerParams: { cron: '0 9 * * *', payload: { list: 'mañana' } } },
    );
    expect(run.status).toBe('succeeded');
    expect(run.path).toEqual(['start', 'log']);
    expect(run.steps[0]?.output).toEqual({
      firedAt: '2026-05-04T07:00:00.120Z',
      scheduledFor: '2026-05-04T07:00:00.000Z',
      cron: '0 9 * * *',
      timezone: 'Europe/Madrid',
      list: 'mañana',
    });
    expect(run.logger.lines.map((l) => l.msg)).toContain('flow log: mañana @ 2026-05-04T07:00:00.000Z');
  });
});
