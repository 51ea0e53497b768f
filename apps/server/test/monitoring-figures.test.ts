import type { QueueFigures } from '@switchboard/db';
import { describe, expect, it } from 'vitest';
import { holds } from '../src/monitoring/catalog.js';
import { alertValue, series } from '../src/monitoring/figures.js';

const at = (s: number) => new Date(Date.parse('2026-03-01T10:00:00.000Z') + s * 1000).toISOString();
const QUIET: QueueFigures = {
  eventsPending: 0,
  oldestPendingAt: null,
  runsQueued: 0,
  runsRunning: 0,
  runsWaiting: 0,
  outboxQueued: 0,
  deliveriesPending: 0,
  deliveriesDead: 0,
};

describe('monitoring figures from stored samples', () => {
  const samples = [
    { bucketAt: at(0), metric: 'sends', label: 'accepted', value: 6 },
    { bucketAt: at(10), metric: 'sends', label: 'failed', value: 1 },
    { bucketAt: at(10), metric: 'sends', label: 'retry', value: 1 },
    { bucketAt: at(10), metric: 'send_errors', label: '131026', value: 2 },
    { bucketAt: at(0), metric: 'webhook_requests', label: '', value: 4 },
    { bucketAt: at(0), metric: 'webhook_latency_ms', label: '', value: 10 },
    { bucketAt: at(10), metric: 'events_pending', label: '', value: 3 },
    { bucketAt: at(20), metric: 'events_pending', label: '', value: 5 },
    { bucketAt: at(70), metric: 'webhook_events', label: 'false', value: 2 },
  ];

  it('adds counters per step, keeps a gauge’s highest sample, averages latency, and fills empty steps', () => {
    const points = series(samples, new Date(at(0)), new Date(at(119)), 60_000);
    expect(points.map((p) => p.at)).toEqual([at(0), at(60)]);
    expect(points[0]).toMatchObject({
      sendsAccepted: 6,
      sendsFailed: 1,
      sendsRetried: 1,
      sendsPerSecond: 0.1,
      errors: { '131026': 2 },
      webhookLatencyMs: 2.5,
      eventsPending: 5,
      webhookEvents: 0,
    });
    expect(points[1]).toMatchObject({
      webhookEvents: 2,
      webhookLatencyMs: null,
      eventsPending: null,
      sendsAccepted: 0,
    });
  });

  it('measures alert metrics: the failed-send share of attempts (0 without sends), gauges from the database', () => {
    const now = new Date(at(30));
    expect(alertValue('send_failure_ratio', samples, QUIET, now)).toBe(25);
    expect(alertValue('send_failures', samples, QUIET, now)).toBe(2);
    expect(alertValue('send_failure_ratio', [], QUIET, now)).toBe(0);
    expect(alertValue('webhook_latency_ms', samples, QUIET, now)).toBe(2.5);
    const backlog = { ...QUIET, eventsPending: 4, oldestPendingAt: at(-60) };
    expect(alertValue('oldest_event_age_seconds', [], backlog, now)).toBe(90);
    expect(alertValue('events_pending', [], backlog, now)).toBe(4);
    expect([
      holds(25, '>', 5),
      holds(5, '>', 5),
      holds(5, '>=', 5),
      holds(4, '<', 5),
      holds(6, '<=', 5),
    ]).toEqual([true, false, true, true, false]);
  });
});
