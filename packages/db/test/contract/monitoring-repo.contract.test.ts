import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { MonitoringRepository } from '../../src/monitoring-repo.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgMonitoringRepository } from '../../src/pg/monitoring-repo.js';
import { asyncOf } from '../../src/ports.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { monitoringRepoContract } from './monitoring-repo.contract.js';

describe('SQLite', () => {
  monitoringRepoContract(async () => asyncOf(new MonitoringRepository(openDb({ path: ':memory:' }))));
});

describeWithPostgres('Postgres', () => {
  monitoringRepoContract(async () => new PgMonitoringRepository(pgDb(await migratedPool())));

  it('of several processes seeing one breach, one opens the incident and one claims its notice', async () => {
    const schema = await freshSchema();
    const first = poolOn(schema);
    await migratePg(first);
    const repos = [first, poolOn(schema), poolOn(schema)].map((p) => new PgMonitoringRepository(pgDb(p)));
    const at = '2026-03-01T10:00:00.000Z';
    const rule = await repos[0]!.createRule(
      {
        id: 'r',
        name: 'r',
        metric: 'oldest_event_age_seconds',
        comparison: '>',
        threshold: 60,
        durationSeconds: 0,
        notifyKind: 'http',
        notifyTarget: 'https://example.com',
        enabled: true,
      },
      at,
    );
    const opened = await Promise.all(repos.map((r, i) => r.openIncident(rule, `i${i}`, 90, at)));
    expect(opened.filter(Boolean)).toHaveLength(1);
    const claims = await Promise.all(repos.map((r) => r.claimNotices(at, 30_000)));
    expect(claims.flat()).toHaveLength(1);
    // Concurrent flushes of the same bucket add up.
    await Promise.all(
      repos.map((r, i) =>
        r.addSamples([{ bucketAt: at, process: `p${i}`, metric: 'sends', label: 'failed', value: 1 }]),
      ),
    );
    expect(await repos[1]!.samplesSince(at)).toEqual([
      { bucketAt: at, metric: 'sends', label: 'failed', value: 3 },
    ]);
  });
});
