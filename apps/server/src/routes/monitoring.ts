import { z } from 'zod';
import type { Api } from '../api.js';
import { series } from '../monitoring/index.js';
import { ADMINS } from '../roles.js';
import type { Runtime } from '../runtime.js';

const Point = z.object({
  at: z.string(),
  webhookEvents: z.number(),
  webhookDuplicates: z.number(),
  webhookRejections: z.number(),
  webhookLatencyMs: z.number().nullable(),
  sendsAccepted: z.number(),
  sendsRetried: z.number(),
  sendsFailed: z.number(),
  sendsPerSecond: z.number(),
  policyRefusals: z.number(),
  runsStarted: z.number(),
  runsFailed: z.number(),
  subscriptionDelivered: z.number(),
  subscriptionFailures: z.number(),
  eventsPending: z.number().nullable(),
  oldestEventAgeSeconds: z.number().nullable(),
  runsQueued: z.number().nullable(),
  runsRunning: z.number().nullable(),
  runsWaiting: z.number().nullable(),
  outboxQueued: z.number().nullable(),
  deliveriesPending: z.number().nullable(),
  deliveriesDead: z.number().nullable(),
  errors: z.record(z.string(), z.number()),
});
const Now = z.object({
  eventsPending: z.number(),
  oldestEventAgeSeconds: z.number(),
  runsQueued: z.number(),
  runsRunning: z.number(),
  runsWaiting: z.number(),
  outboxQueued: z.number(),
  deliveriesPending: z.number(),
  deliveriesDead: z.number(),
  openIncidents: z.number(),
});
const MonitoringBody = z.object({
  from: z.string(),
  to: z.string(),
  stepSeconds: z.number(),
  bucketSeconds: z.number(),
  sendLimitPerSecond: z.number().describe('the per-number limit (WHATSAPP_RATE_PER_SECOND)'),
  now: Now.describe('read from the database as the request is answered'),
  totals: z.object({
    webhookEvents: z.number(),
    sendsAccepted: z.number(),
    sendsRetried: z.number(),
    sendsFailed: z.number(),
    runsFailed: z.number(),
    subscriptionFailures: z.number(),
    errors: z.array(z.object({ code: z.string(), count: z.number() })),
  }),
  series: z.array(Point),
});

/** The health page's figures: the last `minutes` (an hour by default) as time series, and now. */
export function monitoringRoutes(api: Api, rt: Runtime): void {
  const repo = rt.database.repos.monitoring;
  api.add({
    method: 'get',
    path: '/api/monitoring',
    roles: ADMINS,
    tag: 'monitoring',
    summary:
      'Webhook ingest, queues, runs, sends against the limit, errors by code and subscription failures, as time series',
    query: z.object({
      minutes: z.coerce.number().int().min(1).max(120).default(60),
      step: z.coerce
        .number()
        .int()
        .min(1)
        .max(3_600)
        .optional()
        .describe(
          'seconds per point; default 60, never below the stored bucket (SWITCHBOARD_MONITORING_BUCKET_MS)',
        ),
    }),
    responses: { 200: { description: 'Figures', schema: MonitoringBody } },
    handler: async ({ query }, res) => {
      const to = new Date();
      const from = new Date(to.getTime() - query.minutes * 60_000);
      const bucketMs = rt.config.monitoring.bucketMs;
      const stepMs = Math.max(bucketMs, Math.ceil(((query.step ?? 60) * 1000) / bucketMs) * bucketMs);
      const alignedFrom = new Date(Math.floor(from.getTime() / stepMs) * stepMs);
      const [samples, queues, open] = await Promise.all([
        repo.samplesSince(alignedFrom.toISOString()),
        repo.queueFigures(),
        repo.listIncidents({ status: 'open', limit: 1000 }),
      ]);
      const points = series(samples, alignedFrom, to, stepMs);
      const errors = new Map<string, number>();
      for (const p of points)
        for (const [code, n] of Object.entries(p.errors)) errors.set(code, (errors.get(code) ?? 0) + n);
      const sum = (f: (p: (typeof points)[number]) => number) => points.reduce((n, p) => n + f(p), 0);
      res.json({
        from: alignedFrom.toISOString(),
        to: to.toISOString(),
        stepSeconds: stepMs / 1000,
        bucketSeconds: bucketMs / 1000,
        sendLimitPerSecond: rt.config.whatsapp.ratePerSecond,
        now: {
          eventsPending: queues.eventsPending,
          oldestEventAgeSeconds: queues.oldestPendingAt
            ? Math.max(0, (to.getTime() - Date.parse(queues.oldestPendingAt)) / 1000)
            : 0,
          runsQueued: queues.runsQueued,
          runsRunning: queues.runsRunning,
          runsWaiting: queues.runsWaiting,
          outboxQueued: queues.outboxQueued,
          deliveriesPending: queues.deliveriesPending,
          deliveriesDead: queues.deliveriesDead,
          openIncidents: open.length,
        },
        totals: {
          webhookEvents: sum((p) => p.webhookEvents),
          sendsAccepted: sum((p) => p.sendsAccepted),
          sendsRetried: sum((p) => p.sendsRetried),
          sendsFailed: sum((p) => p.sendsFailed),
          runsFailed: sum((p) => p.runsFailed),
          subscriptionFailures: sum((p) => p.subscriptionFailures),
          errors: [...errors]
            .map(([code, count]) => ({ code, count }))
            .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
        },
        series: points,
      });
    },
  });
}
