import { z } from 'zod';

/**
 * What the monitoring page and alert rules measure. Counters come from this process's Prometheus
 * counters (so a figure and its metric are one count): each process adds what they grew by to its own
 * row of the current time bucket, and a bucket's figure is the sum over processes. Gauges (queues and
 * their ages) are read from the database, which every process shares, so any process may write them.
 */

/** A stored counter: the Prometheus series it is read from, and the label kept (if any). */
export interface CounterSource {
  metric: string;
  prometheus: string;
  /** The Prometheus label whose value becomes the sample's label; none: summed over all labels. */
  label?: string;
  /** Only series whose labels match these. */
  where?: Record<string, string>;
  /** Stored ×1000 (seconds → milliseconds). */
  millis?: boolean;
}

export const COUNTERS: readonly CounterSource[] = [
  { metric: 'webhook_events', prometheus: 'switchboard_webhook_events_total', label: 'duplicate' },
  { metric: 'webhook_rejections', prometheus: 'switchboard_webhook_rejections_total' },
  {
    metric: 'webhook_requests',
    prometheus: 'switchboard_http_request_duration_seconds_count',
    where: { route: '/webhooks/whatsapp', method: 'POST' },
  },
  {
    metric: 'webhook_latency_ms',
    prometheus: 'switchboard_http_request_duration_seconds_sum',
    where: { route: '/webhooks/whatsapp', method: 'POST' },
    millis: true,
  },
  { metric: 'sends', prometheus: 'switchboard_outbox_sends_total', label: 'outcome' },
  { metric: 'send_errors', prometheus: 'switchboard_send_errors_total', label: 'code' },
  { metric: 'policy_refusals', prometheus: 'switchboard_policy_refusals_total' },
  { metric: 'runs_started', prometheus: 'switchboard_runs_started_total' },
  { metric: 'runs_finished', prometheus: 'switchboard_runs_finished_total', label: 'status' },
  {
    metric: 'subscription_attempts',
    prometheus: 'switchboard_subscription_attempts_total',
    label: 'outcome',
  },
];

/** Gauges read from the database, written once per bucket (process `*`). */
export const GAUGES = [
  'events_pending',
  'oldest_event_age_seconds',
  'runs_queued',
  'runs_running',
  'runs_waiting',
  'outbox_queued',
  'deliveries_pending',
  'deliveries_dead',
] as const;
export type GaugeName = (typeof GAUGES)[number];

/**
 * Figures an alert rule can watch. `window`: measured over the last SWITCHBOARD_ALERT_WINDOW_MS (a
 * minute by default) from the stored buckets; `now`: the database's current value.
 */
export const ALERT_METRICS = {
  send_failure_ratio: {
    kind: 'window',
    unit: '%',
    help: 'send attempts that failed (retried or failed), % of all',
  },
  send_failures: { kind: 'window', unit: 'count', help: 'send attempts that failed (retried or failed)' },
  webhook_events: { kind: 'window', unit: 'count', help: 'webhook events accepted (new, not re-deliveries)' },
  webhook_latency_ms: { kind: 'window', unit: 'ms', help: 'average time to store a webhook and answer 200' },
  webhook_rejections: { kind: 'window', unit: 'count', help: 'webhook requests refused (signature, JSON)' },
  runs_failed: { kind: 'window', unit: 'count', help: 'runs that ended failed' },
  subscription_failures: {
    kind: 'window',
    unit: 'count',
    help: 'subscription delivery attempts that failed',
  },
  events_pending: { kind: 'now', unit: 'count', help: 'events stored but not yet processed' },
  oldest_event_age_seconds: { kind: 'now', unit: 's', help: 'age of the oldest unprocessed event' },
  runs_waiting: { kind: 'now', unit: 'count', help: 'runs parked on a delay or a reply' },
  runs_queued: { kind: 'now', unit: 'count', help: 'runs waiting for a worker' },
  outbox_queued: { kind: 'now', unit: 'count', help: 'messages waiting to be sent' },
  subscription_dead: { kind: 'now', unit: 'count', help: 'subscription deliveries in the dead-letter list' },
} as const;
export type AlertMetric = keyof typeof ALERT_METRICS;
export const ALERT_METRIC_NAMES = Object.keys(ALERT_METRICS) as [AlertMetric, ...AlertMetric[]];
export const AlertMetric = z.enum(ALERT_METRIC_NAMES, {
  message: `must be one of ${ALERT_METRIC_NAMES.join(', ')}`,
});

export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export function holds(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}
