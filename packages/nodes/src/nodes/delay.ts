import { defineNode, emit, wait } from '@switchboard/engine';
import { TimeZone } from '@switchboard/flow-schema';
import { z } from 'zod';
import { labels } from '../labels.js';
import { localTime, toMinutes } from '../local-time.js';

const UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const MAX_MS = 30 * UNIT_MS.days;

const params = z
  .strictObject({
    /** `duration`: wait a while; `until`: wait for a date and time; `timeOfDay`: wait for the next HH:MM. */
    mode: z.enum(['duration', 'until', 'timeOfDay']).default('duration'),
    amount: z.coerce.number().positive('must be more than 0').optional(),
    unit: z.enum(['seconds', 'minutes', 'hours', 'days']).default('minutes'),
    until: z.iso
      .datetime({ offset: true, message: 'use an ISO date and time, e.g. 2026-05-04T09:00:00+02:00' })
      .optional(),
    /** For `until`: wake this long before the date, e.g. 24 hours before an appointment. */
    before: z
      .strictObject({
        amount: z.coerce.number().positive('must be more than 0'),
        unit: z.enum(['minutes', 'hours', 'days']).default('hours'),
      })
      .optional()
      .describe('For "until": wake this long before it, e.g. 24 hours before an appointment'),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM')
      .optional(),
    /** For `timeOfDay`: the contact's or a team's zone; the flow's by default. */
    timezone: TimeZone.optional(),
  })
  .refine((p) => p.mode !== 'duration' || p.amount !== undefined, {
    message: 'say how long',
    path: ['amount'],
  })
  .refine((p) => p.mode !== 'duration' || (p.amount ?? 0) * UNIT_MS[p.unit] <= MAX_MS, {
    message: 'a delay can be at most 30 days',
    path: ['amount'],
  })
  .refine((p) => p.mode !== 'until' || p.until, { message: 'give the date and time', path: ['until'] })
  .refine((p) => p.mode !== 'timeOfDay' || p.time, { message: 'give the time of day', path: ['time'] });

/**
 * Pauses the branch for a while, until a date and time, or until the next time of day in a time zone
 * (e.g. 09:00 in the contact's zone). The wake-up time is stored with the run, so the delay survives
 * restarts; a loop through a delay is allowed.
 */
export const delay = defineNode({
  type: 'flow.delay',
  category: 'flow',
  pausesRun: true,
  labels: labels(
    ['Delay', 'Waits for a while, until a date, or until a time of day; survives restarts.'],
    ['Esperar', 'Espera un tiempo, hasta una fecha o hasta una hora del día; sobrevive a reinicios.'],
  ),
  params,
  execute: (ctx) => {
    if (ctx.resume) return emit('out', ctx.input);
    const p = ctx.params;
    const now = ctx.now();
    if (p.mode === 'until') {
      // A date already (or, with `before`, too soon) past goes on at once: a booking made 3 hours
      // ahead still gets its "24 hours before" reminder, now.
      const until = new Date(
        new Date(p.until!).getTime() - (p.before ? p.before.amount * UNIT_MS[p.before.unit] : 0),
      );
      return until <= now ? emit('out', ctx.input) : wait({ until });
    }
    if (p.mode === 'timeOfDay')
      return wait({ until: nextTimeOfDay(now, p.time!, p.timezone ?? ctx.timezone) });
    return wait({ until: new Date(now.getTime() + (p.amount ?? 0) * UNIT_MS[p.unit]) });
  },
});

/** The next instant after `now` when the clock in `timeZone` shows `hhmm` (DST-safe). */
export function nextTimeOfDay(now: Date, hhmm: string, timeZone: string): Date {
  const target = toMinutes(hhmm);
  const local = localTime(now, timeZone);
  let diff = target - local.minutes;
  if (diff <= 0) diff += 24 * 60;
  const guess = now.getTime() + diff * 60_000 - (now.getTime() % 60_000);
  // Around a DST change the guess is off by the shift: take the earliest minute within three hours of it
  // that shows hhmm (if the hour was skipped, none does, and the guess stands).
  for (let offset = -180; offset <= 180; offset++) {
    const candidate = new Date(guess + offset * 60_000);
    if (candidate > now && localTime(candidate, timeZone).minutes === target) return candidate;
  }
  return new Date(guess);
}
