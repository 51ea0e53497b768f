import type { RunState } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { PgRunStore } from '../../src/pg/run-store.js';
import { SqliteRunStore } from '../../src/run-store.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';
import { twoProcesses } from './pg-pair.js';
import { claimIds, finish, later, newRun, park, runStoreContactOrderContract } from './run-store.contract.js';

describe('SQLite', () =>
  runStoreContactOrderContract(async () => new SqliteRunStore<RunState>(openDb({ path: ':memory:' }))));

describeWithPostgres('Postgres', () => {
  runStoreContactOrderContract(async () => new PgRunStore<RunState>(await migratedPool()));

  it("never drives two runs of one contact at once when two processes claim, and keeps each contact's order", async () => {
    const [a, b, pool] = await twoProcesses((db) => new PgRunStore<RunState>(db));
    const contacts = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const queued = new Map(contacts.map((c) => [c, [1, 2, 3, 4, 5].map((n) => `${c}-${n}`)]));
    // Each contact's oldest run is parked on a reply that arrives while its younger runs are being
    // claimed: once woken it is due and older than all of them, a claimer's snapshot may miss that.
    for (const [i, c] of contacts.entries()) {
      await newRun(a, `${c}-0`, c, i);
      expect(await claimIds(a, 'setup')).toEqual([`${c}-0`]);
      await park(a, `${c}-0`, 'setup');
    }
    for (const [c, ids] of queued) for (const [n, id] of ids.entries()) await newRun(a, id, c, 100 + n);
    const total = contacts.length * 6;
    const driving = new Map<string, string>();
    const started: string[] = [];
    const overlaps: string[] = [];
    const now = later(1000);

    const drive = async (store: PgRunStore<RunState>, owner: string, runId: string) => {
      const contact = runId.split('-')[0] ?? '';
      const other = driving.get(contact);
      if (other) overlaps.push(`${other} and ${runId}`);
      driving.set(contact, runId);
      started.push(runId);
      const leased = await pool.query<{ n: number }>(
        'select count(*)::int as n from runs where contact_id = $1 and lease_expires_at > $2',
        [contact, now.getTime()],
      );
      if (leased.rows[0]?.n !== 1) overlaps.push(`${leased.rows[0]?.n} leased runs of ${contact}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      driving.delete(contact); // before the commit that frees the contact, so the next claim finds it free
      await finish(store, runId, owner, now);
    };
    const claimLoop = async (store: PgRunStore<RunState>, owner: string) => {
      while (started.length < total) {
        const claimed = await store.claimRuns({ owner, now, leaseMs: 60_000, limit: 3 });
        await Promise.all(claimed.map((r) => drive(store, owner, r.id)));
        if (claimed.length === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const replies = async () => {
      for (const [i, c] of contacts.entries()) {
        await new Promise((resolve) => setTimeout(resolve, 1 + i));
        await (i % 2 ? a : b).fireWaits({ key: `reply:${c}-0`, payload: 'ok', now });
      }
    };
    await Promise.all([
      replies(),
      ...[a, b].flatMap((store, s) => [0, 1, 2].map((loop) => claimLoop(store, `w${s}.${loop}`))),
    ]);

    expect(overlaps).toEqual([]);
    expect([...started].sort()).toEqual(
      [...contacts.flatMap((c) => [0, 1, 2, 3, 4, 5].map((n) => `${c}-${n}`))].sort(),
    );
    for (const ids of queued.values()) expect(started.filter((id) => ids.includes(id))).toEqual(ids);
  });
});
