import type { QueueFigures, SummedSample } from '@switchboard/db';
import type { AlertMetric } from './catalog.js';
import { gaugeValues } from './sampler.js';

/** One step of the monitoring page's time series. Gauges are null in a step nobody sampled. */
export interface MonitoringPoint {
  at: string;
  webhookEvents: number;
  webhookDuplicates: number;
  webhookRejections: number;
  /** Average time to store a webhook and answer (ms); null without requests. */
  webhookLatencyMs: number | null;
  sendsAccepted: number;
  sendsRetried: number;
  sendsFailed: number;
  /** Accepted sends per second over the step (to set against the limit). */
  sendsPerSecond: number;
  policyRefusals: number;
  runsStarted: number;
  runsFailed: number;
  subscriptionDelivered: number;
  /** Failed attempts: retried or dead. */
  subscriptionFailures: number;
  eventsPending: number | null;
  oldestEventAgeSeconds: number | null;
  runsQueued: number | null;
  runsRunning: number | null;
  runsWaiting: number | null;
  outboxQueued: number | null;
  deliveriesPending: number | null;
  deliveriesDead: number | null;
  /** Send errors by code in the step. */
  errors: Record<string, number>;
}

const GAUGE_FIELDS = {
  events_pending: 'eventsPending',
  oldest_event_age_seconds: 'oldestEventAgeSeconds',
  runs_queued: 'runsQueued',
  runs_running: 'runsRunning',
  runs_waiting: 'runsWaiting',
  outbox_queued: 'outboxQueued',
  deliveries_pending: 'deliveriesPending',
  deliveries_dead: 'deliveriesDead',
} as const;

const emptyPoint = (at: string): MonitoringPoint & { latencySum: number; requests: number } => ({
  at,
  webhookEvents: 0,
  webhookDuplicates: 0,
  webhookRejections: 0,
  webhookLatencyMs: null,
  sendsAccepted: 0,
  sendsRetried: 0,
  sendsFailed: 0,
  sendsPerSecond: 0,
  policyRefusals: 0,
  runsStarted: 0,
  runsFailed: 0,
  subscriptionDelivered: 0,
  subscriptionFailures: 0,
  eventsPending: null,
  oldestEventAgeSeconds: null,
  runsQueued: null,
  runsRunning: null,
  runsWaiting: null,
  outboxQueued: null,
  deliveriesPending: null,
  deliveriesDead: null,
  errors: {},
  latencySum: 0,
  requests: 0,
});

/** Adds one summed sample to a point: counters add up; a gauge keeps the highest value of the step. */
function add(p: ReturnType<typeof emptyPoint>, s: SummedSample) {
  switch (s.metric) {
    case 'webhook_events':
      if (s.label === 'true') p.webhookDuplicates += s.value;
      else p.webhookEvents += s.value;
      return;
    case 'webhook_rejections':
      p.webhookRejections += s.value;
      return;
    case 'webhook_requests':
      p.requests += s.value;
      return;
    case 'webhook_latency_ms':
      p.latencySum += s.value;
      return;
    case 'sends':
      if (s.label === 'accepted') p.sendsAccepted += s.value;
      else if (s.label === 'retry') p.sendsRetried += s.value;
      else if (s.label === 'failed') p.sendsFailed += s.value;
      return;
    case 'send_errors':
      p.errors[s.label] = (p.errors[s.label] ?? 0) + s.value;
      return;
    case 'policy_refusals':
      p.policyRefusals += s.value;
      return;
    case 'runs_started':
      p.runsStarted += s.value;
      return;
    case 'runs_finished':
      if (s.label === 'failed') p.runsFailed += s.value;
      return;
    case 'subscription_attempts':
      if (s.label === 'delivered') p.subscriptionDelivered += s.value;
      else p.subscriptionFailures += s.value;
      return;
  }
  const field = GAUGE_FIELDS[s.metric as keyof typeof GAUGE_FIELDS];
  if (field) p[field] = Math.max(p[field] ?? 0, s.value);
}

/**
 * The series from `from` to `to` in steps of `stepMs` (every step present, oldest first), from the
 * stored buckets summed over processes.
 */
export function series(samples: SummedSample[], from: Date, to: Date, stepMs: number): MonitoringPoint[] {
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  const points: Array<ReturnType<typeof emptyPoint>> = [];
  for (let t = start; t <= to.getTime(); t += stepMs) points.push(emptyPoint(new Date(t).toISOString()));
  for (const s of samples) {
    const i = Math.floor((Date.parse(s.bucketAt) - start) / stepMs);
    const p = points[i];
    if (p) add(p, s);
  }
  return points.map(({ latencySum, requests, ...p }) => ({
    ...p,
    webhookLatencyMs: requests > 0 ? Math.round((latencySum / requests) * 100) / 100 : null,
    sendsPerSecond: Math.round((p.sendsAccepted / (stepMs / 1000)) * 1000) / 1000,
  }));
}

/** An alert metric's value now: rate figures summed over the window's samples, gauges from the database. */
export function alertValue(
  metric: AlertMetric,
  windowSamples: SummedSample[],
  queues: QueueFigures,
  now: Date,
): number {
  const total = emptyPoint(now.toISOString());
  for (const s of windowSamples) add(total, s);
  const gauges = gaugeValues(queues, now);
  switch (metric) {
    case 'send_failure_ratio': {
      const failed = total.sendsRetried + total.sendsFailed;
      const all = failed + total.sendsAccepted;
      return all === 0 ? 0 : (failed / all) * 100;
    }
    case 'send_failures':
      return total.sendsRetried + total.sendsFailed;
    case 'webhook_events':
      return total.webhookEvents;
    case 'webhook_latency_ms':
      return total.requests === 0 ? 0 : total.latencySum / total.requests;
    case 'webhook_rejections':
      return total.webhookRejections;
    case 'runs_failed':
      return total.runsFailed;
    case 'subscription_failures':
      return total.subscriptionFailures;
    case 'events_pending':
      return gauges.events_pending;
    case 'oldest_event_age_seconds':
      return gauges.oldest_event_age_seconds;
    case 'runs_waiting':
      return gauges.runs_waiting;
    case 'runs_queued':
      return gauges.runs_queued;
    case 'outbox_queued':
      return gauges.outbox_queued;
    case 'subscription_dead':
      return gauges.deliveries_dead;
  }
}
