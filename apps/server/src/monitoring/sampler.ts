import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AsyncOf, MonitoringRepository, QueueFigures, Sample } from '@switchboard/db';
import type { Registry } from 'prom-client';
import { COUNTERS, type GaugeName } from './catalog.js';

/** The start of the bucket `at` falls in (ISO). */
export function bucketOf(at: Date, bucketMs: number): string {
  return new Date(Math.floor(at.getTime() / bucketMs) * bucketMs).toISOString();
}

/**
 * This process's name in the samples table: unique per start (and per runtime, when tests run several
 * in one process), so a restart never adds to a dead one's row.
 */
export const processName = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * Reads this process's counters and returns what each grew by since the last call, as samples of the
 * bucket `at` falls in. Counters only grow (prom-client is never reset here), so deltas are exact.
 */
export class CounterSampler {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly registry: Registry,
    private readonly process: string,
    private readonly bucketMs: number,
  ) {}

  async take(at: Date): Promise<Sample[]> {
    const bucketAt = bucketOf(at, this.bucketMs);
    const totals = new Map<string, { metric: string; label: string; value: number }>();
    for (const source of COUNTERS) {
      const family = source.prometheus.replace(/_(sum|count)$/, '');
      const metric = this.registry.getSingleMetric(
        source.prometheus.endsWith('_total') ? source.prometheus : family,
      );
      if (!metric) continue;
      const { values } = await metric.get();
      for (const v of values) {
        const name = (v as { metricName?: string }).metricName ?? source.prometheus;
        if (name !== source.prometheus) continue;
        const labels = v.labels as Record<string, string | number | undefined>;
        if (source.where && Object.entries(source.where).some(([k, want]) => String(labels[k]) !== want))
          continue;
        const label = source.label ? String(labels[source.label] ?? '') : '';
        const key = `${source.metric}|${label}`;
        const entry = totals.get(key) ?? { metric: source.metric, label, value: 0 };
        entry.value += source.millis ? v.value * 1000 : v.value;
        totals.set(key, entry);
      }
    }
    const samples: Sample[] = [];
    for (const [key, t] of totals) {
      const delta = t.value - (this.last.get(key) ?? 0);
      this.last.set(key, t.value);
      if (delta > 0)
        samples.push({ bucketAt, process: this.process, metric: t.metric, label: t.label, value: delta });
    }
    return samples;
  }
}

/** The database's queue figures as gauge values at `at`. */
export function gaugeValues(f: QueueFigures, at: Date): Record<GaugeName, number> {
  return {
    events_pending: f.eventsPending,
    oldest_event_age_seconds: f.oldestPendingAt
      ? Math.max(0, (at.getTime() - Date.parse(f.oldestPendingAt)) / 1000)
      : 0,
    runs_queued: f.runsQueued,
    runs_running: f.runsRunning,
    runs_waiting: f.runsWaiting,
    outbox_queued: f.outboxQueued,
    deliveries_pending: f.deliveriesPending,
    deliveries_dead: f.deliveriesDead,
  };
}

/** Gauge samples of one bucket (process `*`: written, not added, by whichever process samples it). */
export async function gaugeSamples(
  repo: AsyncOf<MonitoringRepository>,
  at: Date,
  bucketMs: number,
): Promise<Sample[]> {
  const values = gaugeValues(await repo.queueFigures(), at);
  const bucketAt = bucketOf(at, bucketMs);
  return Object.entries(values).map(([metric, value]) => ({
    bucketAt,
    process: '*',
    metric,
    label: '',
    value,
  }));
}
