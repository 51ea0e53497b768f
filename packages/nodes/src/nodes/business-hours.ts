import { defineNode, emit } from '@switchboard/engine';
import { TimeZone } from '@switchboard/flow-schema';
import { z } from 'zod';
import { labels } from '../labels.js';
import { localTime, toMinutes, WEEKDAYS } from '../local-time.js';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, e.g. 09:00');
const Interval = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1, 'pick at least one day'),
    from: Time,
    to: Time.or(z.literal('24:00')),
  })
  .refine((i) => toMinutes(i.from) < toMinutes(i.to), {
    message: '"to" must be after "from" (split overnight hours in two)',
    path: ['to'],
  });

/**
 * Open or closed now, by a weekly schedule with several intervals a day and holidays, in the flow's time
 * zone or one of its own (e.g. a team's).
 */
export const businessHours = defineNode({
  type: 'condition.businessHours',
  category: 'condition',
  labels: labels(
    ['Business hours', 'Continues through "open" or "closed" by a weekly schedule and holidays.'],
    ['Horario de atención', 'Continúa por "abierto" o "cerrado" según un horario semanal y festivos.'],
  ),
  params: z.strictObject({
    timezone: TimeZone.optional().describe('Defaults to the flow’s time zone'),
    schedule: z.array(Interval).min(1, 'add opening hours'),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')).default([]),
  }),
  outputs: ['open', 'closed'],
  execute: (ctx) => {
    const { schedule, holidays } = ctx.params;
    const local = localTime(ctx.now(), ctx.params.timezone ?? ctx.timezone);
    const open =
      !holidays.includes(local.date) &&
      schedule.some(
        (i) =>
          i.days.includes(local.weekday) &&
          local.minutes >= toMinutes(i.from) &&
          local.minutes < toMinutes(i.to),
      );
    return emit(open ? 'open' : 'closed', ctx.input);
  },
});
