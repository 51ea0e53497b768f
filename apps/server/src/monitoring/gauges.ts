import type { AsyncOf, MonitoringRepository, QueueFigures } from '@switchboard/db';
import { Gauge, type Registry } from 'prom-client';
import { gaugeValues } from './sampler.js';

/** Scrapes within this long share one read of the database (several gauges, one query set). */
const CACHE_MS = 1_000;

/**
 * The queue figures as Prometheus gauges, read from the database when /metrics is scraped: every
 * process reports the same shared values (query them with max(), not sum(), across processes).
 */
export function registerQueueGauges(
  registry: Registry,
  repo: AsyncOf<MonitoringRepository>,
  sendLimitPerSecond: number,
): void {
  let cached: { at: number; read: Promise<{ queues: QueueFigures; open: number }> } | undefined;
  const read = () => {
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) {
      const pending = (async () => ({
        queues: await repo.queueFigures(),
        open: (await repo.listIncidents({ status: 'open', limit: 1000 })).length,
      }))();
      // A failed read is not kept: the next scrape asks again.
      pending.catch(() => {
        cached = undefined;
      });
      cached = { at: now, read: pending };
    }
    return cached.read;
  };
  const gauge = (
    name: string,
    help: string,
    value: (f: { queues: QueueFigures; open: number }) => number | Record<string, number>,
    labelName?: string,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: labelName ? [labelName] : [],
      registers: [registry],
      async collect() {
        // The database unreachable: the gauges keep their last values and /metrics still answers.
        const figures = await read().catch(() => undefined);
        if (!figures) return;
        const v = value(figures);
        if (typeof v === 'number') this.set(v);
        else for (const [label, n] of Object.entries(v)) this.set({ [labelName!]: label }, n);
      },
    });
  gauge(
    'switchboard_events_pending',
    'Webhook events stored but not yet processed',
    (f) => f.queues.eventsPending,
  );
  gauge(
    'switchboard_events_oldest_pending_age_seconds',
    'Age of the oldest webhook event not yet processed (0 when none)',
    (f) => gaugeValues(f.queues, new Date()).oldest_event_age_seconds,
  );
  gauge(
    'switchboard_runs_current',
    'Runs not finished, by state (queued, running, waiting)',
    (f) => ({ queued: f.queues.runsQueued, running: f.queues.runsRunning, waiting: f.queues.runsWaiting }),
    'state',
  );
  gauge('switchboard_outbox_queued', 'Outgoing messages waiting to be sent', (f) => f.queues.outboxQueued);
  gauge(
    'switchboard_subscription_deliveries',
    'Subscription deliveries not delivered, by state (pending, dead)',
    (f) => ({ pending: f.queues.deliveriesPending, dead: f.queues.deliveriesDead }),
    'state',
  );
  gauge('switchboard_alert_incidents_open', 'Alert incidents open now', (f) => f.open);
  new Gauge({
    name: 'switchboard_send_limit_per_second',
    help: 'The per-number send limit (WHATSAPP_RATE_PER_SECOND)',
    registers: [registry],
  }).set(sendLimitPerSecond);
}
