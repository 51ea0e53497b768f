import { defineNode, emit, type Json } from '@switchboard/engine';
import { isValidTimeZone } from '@switchboard/flow-schema';
import { z } from 'zod';
import { cronProblem } from '../cron.js';
import { labels } from '../labels.js';

/** Keys the server sets on every scheduled run's payload; a custom payload cannot shadow them. */
const RESERVED = ['firedAt', 'scheduledFor', 'cron', 'timezone'] as const;

const params = z
  .strictObject({
    cron: z
      .string()
      .superRefine((cron, ctx) => {
        const problem = cronProblem(cron);
        if (problem)
          ctx.addIssue({
            code: 'custom',
            message: `cron: "${cron}" is not a valid cron expression: ${problem}`,
          });
      })
      .describe(
        'When to run: minute hour day-of-month month day-of-week (e.g. "0 9 * * 1-5" = weekdays at 09:00), 6 fields with seconds first, or @hourly, @daily, @weekly, @monthly',
      ),
    timezone: z
      .string()
      .superRefine((zone, ctx) => {
        if (!isValidTimeZone(zone))
          ctx.addIssue({
            code: 'custom',
            message: `timezone: "${zone}" is not a known IANA time zone (e.g. "Europe/Madrid", "America/Mexico_City", "UTC")`,
          });
      })
      .optional()
      .describe("IANA time zone the times are read in (default: the flow's time zone)"),
    payload: z
      .record(z.string(), z.unknown())
      .refine((p) => !RESERVED.some((k) => k in p), {
        message: `payload: ${RESERVED.join(', ')} are set by the schedule itself`,
      })
      .default({})
      .describe('JSON added to every run\'s trigger data, e.g. { "reminder": "tomorrow" }'),
    missed: z
      .enum(['runOnce', 'skip'])
      .default('runOnce')
      .describe('After the server was down: run the latest missed time once, or skip missed times'),
  })
  // The server reads the schedule from the saved flow, where `{{ }}` has nothing to resolve against.
  // (Checked on the whole object: validateFlow leaves field-level problems of references to run time.)
  .superRefine((p, ctx) => {
    for (const key of ['cron', 'timezone'] as const) {
      if (p[key]?.includes('{{'))
        ctx.addIssue({
          code: 'custom',
          message: `${key}: a schedule cannot use {{ }} references; write the value`,
        });
    }
  });

export type ScheduleParams = z.output<typeof params>;

/** What the server needs to keep a flow's schedule: the trigger's params with the time zone settled. */
export interface Schedule {
  cron: string;
  timezone: string;
  missed: 'runOnce' | 'skip';
  payload: Record<string, Json>;
}

/**
 * Starts a run on a cron schedule in a time zone (e.g. every day at 09:00 Europe/Madrid, for tomorrow's
 * appointment reminders). The server keeps the next time in the database and starts the run in the
 * same transaction that moves it on, so a restart neither loses nor repeats a time.
 */
export const scheduleTrigger = defineNode({
  type: 'trigger.schedule',
  category: 'trigger',
  trigger: true,
  // Not a dispatcher event: the server's schedule loop finds active scheduled flows by this name.
  listensTo: ['schedule.fired'],
  labels: labels(
    ['Schedule', 'Starts on a schedule (cron) in a time zone, e.g. every day at 09:00.'],
    ['Programado', 'Empieza según una programación (cron) en una zona horaria, p. ej. cada día a las 09:00.'],
  ),
  params,
  execute: (ctx) => emit('out', ctx.input),
});

/** The trigger's schedule, or the reason it has none (params that do not parse). */
export function scheduleOf(
  raw: unknown,
  flowTimezone: string,
): { ok: true; schedule: Schedule } | { ok: false; message: string } {
  const parsed = params.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  const p = parsed.data;
  return {
    ok: true,
    schedule: {
      cron: p.cron.trim(),
      timezone: p.timezone ?? flowTimezone,
      missed: p.missed,
      payload: p.payload as Record<string, Json>,
    },
  };
}

/** The trigger payload of one scheduled run. */
export function schedulePayload(schedule: Schedule, times: { firedAt: Date; scheduledFor: Date }): Json {
  return {
    firedAt: times.firedAt.toISOString(),
    scheduledFor: times.scheduledFor.toISOString(),
    cron: schedule.cron,
    timezone: schedule.timezone,
    ...schedule.payload,
  };
}
