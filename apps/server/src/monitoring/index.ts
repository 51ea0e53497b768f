import type { AsyncOf, MonitoringRepository } from '@switchboard/db';
import type { HttpService } from '@switchboard/nodes';
import type { Registry } from 'prom-client';
import type { AppLogger } from '../logger.js';
import { type Loop, startLoop } from '../loop.js';
import { evaluateRules, sendOwedNotices } from './alerts.js';
import { CounterSampler, gaugeSamples, processName } from './sampler.js';

export { evaluateRules, sendOwedNotices } from './alerts.js';
export * from './catalog.js';
export { type MonitoringPoint, series } from './figures.js';
export { registerQueueGauges } from './gauges.js';
export { bucketOf } from './sampler.js';

/** Samples older than this are dropped: the page shows the last hour. */
export const RETENTION_MS = 2 * 3_600_000;

export interface MonitoringSettings {
  bucketMs: number;
  alertWindowMs: number;
  alertEvalMs: number;
}

/**
 * Every process flushes what its counters grew by into its row of the current bucket, twice per
 * bucket (so a figure is at most half a bucket late). Workers (`evaluates`) also sample the queue
 * gauges, drop old samples, evaluate the alert rules and send the notices owed.
 */
export function startMonitoring(deps: {
  repo: AsyncOf<MonitoringRepository>;
  registry: Registry;
  http: () => HttpService;
  logger: AppLogger;
  settings: MonitoringSettings;
  evaluates: boolean;
  link: () => string;
}): { flush(): Promise<void>; stop(): Promise<void> } {
  const log = deps.logger.child({ component: 'monitoring' });
  const { bucketMs, alertEvalMs, alertWindowMs } = deps.settings;
  const sampler = new CounterSampler(deps.registry, processName(), bucketMs);
  let pruned = 0;
  const flush = async () => {
    const now = new Date();
    await deps.repo.addSamples(await sampler.take(now), 'add');
    if (!deps.evaluates) return;
    await deps.repo.addSamples(await gaugeSamples(deps.repo, now, bucketMs), 'set');
    if (now.getTime() - pruned > 60_000) {
      pruned = now.getTime();
      await deps.repo.pruneSamples(new Date(now.getTime() - RETENTION_MS).toISOString());
    }
  };
  const loops: Loop[] = [
    startLoop({
      name: 'monitoring-samples',
      pollMs: Math.max(50, Math.floor(bucketMs / 2)),
      onError: (error) => log.warn({ err: error }, 'writing monitoring samples failed'),
      tick: async () => {
        await flush();
        return { again: false };
      },
    }),
  ];
  if (deps.evaluates) {
    const alertDeps = {
      repo: deps.repo,
      http: deps.http,
      logger: log,
      windowMs: alertWindowMs,
      link: deps.link,
    };
    loops.push(
      startLoop({
        name: 'alerts',
        pollMs: alertEvalMs,
        onError: (error) => log.warn({ err: error }, 'evaluating alert rules failed'),
        tick: async () => {
          await evaluateRules(alertDeps);
          await sendOwedNotices(alertDeps);
          return { again: false };
        },
      }),
    );
  }
  return {
    flush,
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
      // What was counted since the last flush is kept.
      await flush().catch((error) => log.warn({ err: error }, 'last monitoring flush failed'));
    },
  };
}
