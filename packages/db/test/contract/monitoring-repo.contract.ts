import { expect, it } from 'vitest';
import { MAX_NOTICE_ATTEMPTS, type MonitoringRepository } from '../../src/monitoring-repo.js';
import type { AsyncOf } from '../../src/ports.js';

const B0 = '2026-03-01T10:00:00.000Z';
const B1 = '2026-03-01T10:00:10.000Z';
const T1 = '2026-03-01T10:01:00.000Z';
const T2 = '2026-03-01T10:02:00.000Z';

type Repo = AsyncOf<MonitoringRepository>;

const rule = (id: string) => ({
  id,
  name: `rule ${id}`,
  metric: 'send_failure_ratio',
  comparison: '>',
  threshold: 5,
  durationSeconds: 600,
  notifyKind: 'http',
  notifyTarget: 'https://example.com/alerts',
  enabled: true,
});

/** The behaviours of MonitoringRepository that the server relies on, on any database. */
export function monitoringRepoContract(make: () => Promise<Repo>): void {
  it('sums counters of several processes per bucket and label; gauges are written, not added', async () => {
    const repo = await make();
    await repo.addSamples([
      { bucketAt: B0, process: 'web-1', metric: 'sends', label: 'failed', value: 2 },
      { bucketAt: B0, process: 'web-2', metric: 'sends', label: 'failed', value: 3 },
      { bucketAt: B0, process: 'web-1', metric: 'sends', label: 'accepted', value: 10 },
    ]);
    // A second flush of the same process and bucket adds to its row.
    await repo.addSamples([{ bucketAt: B0, process: 'web-1', metric: 'sends', label: 'failed', value: 1 }]);
    await repo.addSamples(
      [{ bucketAt: B1, process: '*', metric: 'events_pending', label: '', value: 7 }],
      'set',
    );
    await repo.addSamples(
      [{ bucketAt: B1, process: '*', metric: 'events_pending', label: '', value: 4 }],
      'set',
    );
    const got = await repo.samplesSince(B0);
    expect(got).toEqual(
      expect.arrayContaining([
        { bucketAt: B0, metric: 'sends', label: 'failed', value: 6 },
        { bucketAt: B0, metric: 'sends', label: 'accepted', value: 10 },
        { bucketAt: B1, metric: 'events_pending', label: '', value: 4 },
      ]),
    );
    expect(got).toHaveLength(3);
    expect((await repo.samplesSince(B1)).map((s) => s.metric)).toEqual(['events_pending']);
    expect(await repo.pruneSamples(B1)).toBe(3);
    expect(await repo.samplesSince(B0)).toHaveLength(1);
  });

  it('reads queue figures from an empty database as zeros', async () => {
    const repo = await make();
    expect(await repo.queueFigures()).toEqual({
      eventsPending: 0,
      oldestPendingAt: null,
      runsQueued: 0,
      runsRunning: 0,
      runsWaiting: 0,
      outboxQueued: 0,
      deliveriesPending: 0,
      deliveriesDead: 0,
    });
  });

  it('keeps rules, and their breach start is set once until cleared or the rule changes', async () => {
    const repo = await make();
    const created = await repo.createRule(rule('r1'), B0);
    expect(created).toMatchObject({ ...rule('r1'), breachingSince: null, createdAt: B0 });
    expect(await repo.markBreaching('r1', T1)).toBe(T1);
    expect(await repo.markBreaching('r1', T2)).toBe(T1);
    await repo.clearBreaching('r1');
    expect(await repo.markBreaching('r1', T2)).toBe(T2);
    expect(await repo.updateRule('r1', { threshold: 10, enabled: false }, T2)).toMatchObject({
      threshold: 10,
      enabled: false,
      breachingSince: null,
      updatedAt: T2,
    });
    expect(await repo.updateRule('nope', { threshold: 1 }, T2)).toBeUndefined();
    expect((await repo.listRules()).map((r) => r.id)).toEqual(['r1']);
    expect(await repo.removeRule('r1')).toBe(true);
    expect(await repo.removeRule('r1')).toBe(false);
  });

  it('opens one incident per rule at a time and resolves it; notices are claimed once each', async () => {
    const repo = await make();
    const r = await repo.createRule(rule('r1'), B0);
    const opened = await repo.openIncident(r, 'i1', 12.5, T1);
    expect(opened).toMatchObject({ id: 'i1', ruleId: 'r1', status: 'open', openedValue: 12.5, openedAt: T1 });
    // Another process seeing the same breach opens nothing.
    expect(await repo.openIncident(r, 'i2', 13, T1)).toBeUndefined();
    const claimed = await repo.claimNotices(T1, 30_000);
    expect(claimed.map((n) => [n.incident.id, n.kind])).toEqual([['i1', 'firing']]);
    // Claimed: nobody else takes it until the claim lapses.
    expect(await repo.claimNotices(T1, 30_000)).toEqual([]);
    await repo.noticeFailed('i1', 'HTTP 500');
    const retried = await repo.claimNotices(T2, 30_000);
    expect(retried.map((n) => [n.incident.id, n.kind, n.incident.noticeAttempts])).toEqual([
      ['i1', 'firing', 2],
    ]);
    expect(retried[0]!.incident.lastNoticeError).toBe('HTTP 500');
    await repo.noticeSent('i1', 'firing', T2);
    expect(await repo.claimNotices('2026-03-01T11:00:00.000Z', 30_000)).toEqual([]);

    const resolved = await repo.resolveIncident('r1', 0, T2);
    expect(resolved).toMatchObject({ id: 'i1', status: 'resolved', resolvedAt: T2, resolvedValue: 0 });
    expect(await repo.resolveIncident('r1', 0, T2)).toBeUndefined();
    const after = await repo.claimNotices(T2, 30_000);
    expect(after.map((n) => [n.incident.id, n.kind])).toEqual([['i1', 'resolved']]);
    await repo.noticeSent('i1', 'resolved', T2);
    expect(await repo.claimNotices('2026-03-01T12:00:00.000Z', 30_000)).toEqual([]);

    // The next breach is a new incident; one resolved without notice (rule disabled) owes none.
    expect(await repo.openIncident(r, 'i3', 20, '2026-03-01T10:03:00.000Z')).toBeDefined();
    await repo.noticeSent('i3', 'firing', '2026-03-01T10:03:00.000Z');
    await repo.resolveIncident('r1', null, '2026-03-01T10:04:00.000Z', false);
    expect(await repo.claimNotices('2026-03-01T12:00:00.000Z', 30_000)).toEqual([]);
    expect((await repo.listIncidents()).map((i) => i.id)).toEqual(['i3', 'i1']);

    expect(await repo.listIncidents({ status: 'open' })).toEqual([]);
    expect((await repo.listIncidents({ ruleId: 'r1', limit: 1 })).map((i) => i.id)).toEqual(['i3']);
    // A notice that keeps failing is given up after MAX_NOTICE_ATTEMPTS tries.
    const r2 = await repo.createRule(rule('r2'), B0);
    await repo.openIncident(r2, 'i4', 1, T1);
    let claims = 0;
    for (let i = 0; i < MAX_NOTICE_ATTEMPTS + 5; i++) {
      const at = new Date(Date.parse(T1) + i * 60_000).toISOString();
      claims += (await repo.claimNotices(at, 30_000)).length;
    }
    expect(claims).toBe(MAX_NOTICE_ATTEMPTS);
  });
}
