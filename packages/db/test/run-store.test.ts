import { initialState, type RunState, type RunStore } from '@switchboard/engine';
import { runStoreContract } from '@switchboard/engine/contract';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/connection.js';
import { SqliteRunStore } from '../src/run-store.js';
import { endedRunKeys, openWaitFlows, openWaits } from '../src/wait-queries.js';

runStoreContract('SQLite (:memory:)', () => {
  // Typed as the engine's interface: compilation fails if the shapes drift apart.
  const store: RunStore = new SqliteRunStore<RunState>(openDb({ path: ':memory:' }));
  return store;
});

describe('SQLite run store at start-up', () => {
  it('releases the leases a dead process held without reading every parked run', async () => {
    const db = openDb({ path: ':memory:' });
    const store = new SqliteRunStore<RunState>(db);
    const T0 = new Date('2026-03-01T10:00:00.000Z');
    for (const id of ['parked', 'running']) {
      await store.createRun({
        id,
        flowId: 'f',
        flowVersion: 1,
        triggerNodeId: 't',
        contactId: null,
        createdAt: T0.toISOString(),
        state: initialState('t', null),
      });
    }
    await store.claimRuns({ owner: 'dead', now: T0, leaseMs: 60_000, limit: 2 });
    await store.commitStep({
      lease: { runId: 'parked', owner: 'dead' },
      step: null,
      run: {
        status: 'waiting',
        state: initialState('t', null),
        wakeAt: '2026-04-01T00:00:00.000Z',
        error: null,
        finishedAt: null,
        addWaits: [{ token: 'w', wakeAt: '2026-04-01T00:00:00.000Z', wakeKey: null }],
        removeWaits: [],
      },
      leaseUntil: null,
    });
    expect(store.releaseAllLeases()).toBe(1);
    const taken = await store.claimRuns({
      owner: 'new',
      now: new Date(T0.getTime() + 1),
      leaseMs: 60_000,
      limit: 2,
    });
    expect(taken.map((r) => r.id)).toEqual(['running']); // at once, not after the dead lease expired
    // The status index, not a scan of the runs table: 100,000 parked runs stay on disk (docs/benchmarks.md).
    const plan = plansOf(db, () => store.releaseAllLeases());
    expect(plan).toMatch(/USING INDEX runs_claim_idx/);
    expect(plan).not.toMatch(/SCAN runs/);
  });

  it('finds open keyed waits through the key index, not by reading every parked run', () => {
    const db = openDb({ path: ':memory:' });
    for (const prefix of ['status:', 'run:', 'hook:']) {
      const plan = plansOf(db, () => {
        openWaits(db, { prefix });
        openWaits(db, { prefix, runId: 'r1' });
        openWaitFlows(db, prefix);
        endedRunKeys(db);
      });
      expect(plan).not.toMatch(/runs_claim_idx|SCAN r\b|SCAN runs/);
    }
  });
});

/** The query plans of every statement `fn` prepares (what SQLite will read to answer it). */
function plansOf(db: ReturnType<typeof openDb>, fn: () => void): string {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  const seen: string[] = [];
  client.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof client.prepare;
  try {
    fn();
  } finally {
    client.prepare = prepare;
  }
  return seen
    .map((sql) => {
      const params = Array((sql.match(/\?/g) ?? []).length).fill(null);
      return (prepare(`explain query plan ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((p) => p.detail)
        .join('; ');
    })
    .join('\n');
}
