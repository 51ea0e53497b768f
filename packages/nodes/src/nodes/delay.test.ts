import { describe, expect, it } from 'vitest';
import { registry, runFlow } from '../../test/harness.js';

describe('flow.delay', () => {
  it('parks the run until the stored wake-up time, then continues', async () => {
    const run = await runFlow(
      [
        { id: 'wait', type: 'flow.delay', params: { amount: 2, unit: 'hours' } },
        { id: 'after', type: 'action.log', params: { message: 'later' } },
      ],
      ['start->wait', 'wait->after'],
    );
    expect(run.status).toBe('waiting');
    expect((await run.store.getRun(run.runId))?.wakeAt).toBe('2026-05-04T10:00:00.000Z');
    run.clock.advance(2 * 3_600_000);
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    expect((await run.store.getSteps(run.runId)).map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      'start:succeeded',
      'wait:waiting',
      'wait:succeeded',
      'after:succeeded',
    ]);
  });

  it('refuses zero, negative and over-30-day delays', () => {
    const p = registry.get('flow.delay')!.params;
    expect(p.safeParse({ amount: 0 }).success).toBe(false);
    expect(p.safeParse({ amount: 31, unit: 'days' }).success).toBe(false);
    expect(p.safeParse({ amount: 30, unit: 'days' }).success).toBe(true);
    expect(p.safeParse({ mode: 'until' }).error?.issues[0]?.path).toEqual(['until']);
  });

  it('waits until a date and time, or goes on at once if it has passed', async () => {
    const run = await runFlow(
      [{ id: 'wait', type: 'flow.delay', params: { mode: 'until', until: '2026-05-05T09:00:00+02:00' } }],
      ['start->wait'],
    );
    expect((await run.store.getRun(run.runId))?.wakeAt).toBe('2026-05-05T07:00:00.000Z');
    const past = await runFlow(
      [{ id: 'wait', type: 'flow.delay', params: { mode: 'until', until: '2026-01-01T00:00:00Z' } }],
      ['start->wait'],
    );
    expect(past.status).toBe('succeeded');
  });

  it('wakes a while before a date given by the trigger (24 hours before an appointment)', async () => {
    const nodes = [
      {
        id: 'wait',
        type: 'flow.delay',
        params: { mode: 'until', until: '{{ trigger.startsAt }}', before: { amount: 24, unit: 'hours' } },
      },
    ];
    const run = await runFlow(nodes, ['start->wait'], { startsAt: '2026-05-07T10:30:00+02:00' });
    expect((await run.store.getRun(run.runId))?.wakeAt).toBe('2026-05-06T08:30:00.000Z');
    // Booked for this afternoon (under 24 hours ahead): the reminder goes at once.
    const soon = await runFlow(nodes, ['start->wait'], { startsAt: '2026-05-04T17:00:00+02:00' });
    expect(soon.status).toBe('succeeded');
    const bad = await runFlow(nodes, ['start->wait'], { startsAt: 'mañana' });
    expect(bad.status).toBe('failed');
    expect((await bad.store.getRun(bad.runId))?.error?.message).toMatch(/until/);
  });

  it('waits for the next time of day in a time zone, across days and DST', async () => {
    // The harness clock starts at 2026-05-04T08:00Z: 10:00 in Madrid, 02:00 in Mexico City.
    const madrid = await runFlow(
      [
        {
          id: 'w',
          type: 'flow.delay',
          params: { mode: 'timeOfDay', time: '09:00', timezone: 'Europe/Madrid' },
        },
      ],
      ['start->w'],
    );
    expect((await madrid.store.getRun(madrid.runId))?.wakeAt).toBe('2026-05-05T07:00:00.000Z'); // tomorrow 09:00
    const mexico = await runFlow(
      [
        {
          id: 'w',
          type: 'flow.delay',
          params: { mode: 'timeOfDay', time: '09:00', timezone: 'America/Mexico_City' },
        },
      ],
      ['start->w'],
    );
    expect((await mexico.store.getRun(mexico.runId))?.wakeAt).toBe('2026-05-04T15:00:00.000Z'); // today 09:00 (UTC-6)
    const { nextTimeOfDay } = await import('./delay.js');
    // Madrid springs forward on 2026-03-29 (02:00 → 03:00): 09:00 that day is 07:00Z.
    expect(nextTimeOfDay(new Date('2026-03-28T12:00:00Z'), '09:00', 'Europe/Madrid').toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
  });
});
