import { readdirSync } from 'node:fs';
import { initialState, type RunState, type RunStore } from '@switchboard/engine';
import { runStoreContract } from '@switchboard/engine/contract';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { expect, it } from 'vitest';
import { migratePg } from '../src/pg/connection.js';
import { PgRunStore } from '../src/pg/run-store.js';
import * as sqliteSchema from '../src/schema.js';
import { admin, describeWithPostgres, freshSchema, migratedPool, poolOn } from './pg-harness.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const newRun = (id: string, createdAt = T0) => ({
  id,
  flowId: 'f',
  flowVersion: 1,
  triggerNodeId: 't',
  contactId: null,
  createdAt: createdAt.toISOString(),
  state: initialState('t', null),
});

describeWithPostgres('Postgres run store', () => {
  runStoreContract('Postgres', async () => {
    // Typed as the engine's interface: compilation fails if the shapes drift apart.
    const store: RunStore = new PgRunStore<RunState>(await migratedPool());
    return store;
  });

  it('migrates once when several processes start at the same time', async () => {
    const schema = await freshSchema();
    const pools = Array.from({ length: 4 }, () => poolOn(schema, 2));
    await Promise.all(pools.map((pool) => migratePg(pool)));
    await migratePg(pools[0]!); // and again later: nothing left to do
    const tables = await admin((c) =>
      c.query<{ name: string }>(
        'select table_name as name from information_schema.tables where table_schema = $1 order by 1',
        [schema],
      ),
    );
    // Every table of the embedded schema, and nothing else.
    const sqliteTables = Object.values(sqliteSchema)
      .filter((t) => is(t, SQLiteTable))
      .map((t) => getTableName(t));
    expect(tables.rows.map((r) => r.name)).toEqual(['__drizzle_migrations', ...sqliteTables].sort());
    const applied = await pools[0]!.query('select hash from __drizzle_migrations');
    const files = readdirSync(new URL('../migrations-pg', import.meta.url)).filter((f) => f.endsWith('.sql'));
    expect(applied.rowCount).toBe(files.length); // each file once
  });

  it('hands every run to exactly one of several concurrent claimers', async () => {
    const schema = await freshSchema();
    await migratePg(poolOn(schema));
    const stores = Array.from({ length: 4 }, () => new PgRunStore<RunState>(poolOn(schema, 3)));
    for (let i = 0; i < 200; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          stores[0]!.createRun(newRun(`r${String(i + j).padStart(3, '0')}`, new Date(T0.getTime() + i + j))),
        ),
      );
    }
    // Each store (its own pool: a process) runs three claim loops side by side.
    const claimed = await Promise.all(
      stores.flatMap((store, s) =>
        Array.from({ length: 3 }, async (_, loop) => {
          const mine: string[] = [];
          for (;;) {
            const batch = await store.claimRuns({
              owner: `w${s}.${loop}`,
              now: new Date(T0.getTime() + 1000),
              leaseMs: 60_000,
              limit: 7,
            });
            if (batch.length === 0) return mine;
            mine.push(...batch.map((r) => r.id));
          }
        }),
      ),
    );
    const all = claimed.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    const owners = await poolOn(schema).query<{ n: number }>(
      "select count(distinct lease_owner)::int as n from runs where status = 'running'",
    );
    expect(owners.rows[0]?.n).toBeGreaterThan(0);
  });

  it('wakes each parked run once when the same key is delivered concurrently', async () => {
    const schema = await freshSchema();
    await migratePg(poolOn(schema));
    const stores = Array.from({ length: 4 }, () => new PgRunStore<RunState>(poolOn(schema, 2)));
    const ids = Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    for (const id of ids) await stores[0]!.createRun(newRun(id));
    await stores[0]!.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: ids.length });
    for (const id of ids) {
      await stores[0]!.commitStep({
        lease: { runId: id, owner: 'a' },
        step: null,
        run: {
          status: 'waiting',
          state: initialState('t', null),
          wakeAt: null,
          error: null,
          finishedAt: null,
          // two waits on the key: the run is still woken (and listed) once
          addWaits: [
            { token: `${id}.a`, wakeAt: null, wakeKey: 'reply:c-1' },
            { token: `${id}.b`, wakeAt: null, wakeKey: 'reply:c-1' },
          ],
          removeWaits: [],
        },
        leaseUntil: null,
      });
    }
    const woken = await Promise.all(
      stores.map((store, i) => store.fireWaits({ key: 'reply:c-1', payload: { from: i }, now: T0 })),
    );
    expect(woken.flat().sort()).toEqual(ids);
    const [run] = await stores[1]!.claimRuns({ owner: 'b', now: T0, leaseMs: 1000, limit: 1 });
    expect(run?.firedWaits.map((w) => w.token)).toEqual([`${run?.id}.a`, `${run?.id}.b`]);
  });

  it('reads back what the engine wrote: ISO times and JSON snapshots', async () => {
    const store = new PgRunStore<RunState>(await migratedPool());
    const state = initialState('t', { text: 'hola ñandú 🎉', n: 1.5, list: [null, true, { z: 1, a: 2 }] });
    await store.createRun({ ...newRun('r1'), state });
    const [claimed] = await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
    expect(claimed?.state).toEqual(state);
    expect(await store.getRun('r1')).toMatchObject({
      createdAt: '2026-03-01T10:00:00.000Z',
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: null,
      wakeAt: null,
    });
    expect(await store.getState('r1')).toEqual(state);
  });

  it('stores what a customer may send: a NUL character, and object keys in the order written', async () => {
    const store = new PgRunStore<RunState>(await migratedPool());
    const state = initialState('t', { text: 'a\u0000b', zeta: 1, alpha: 2 });
    await store.createRun({ ...newRun('r1'), state });
    const [claimed] = await store.claimRuns({ owner: 'a', now: T0, leaseMs: 1000, limit: 1 });
    expect(claimed?.state).toEqual(state);
    expect(Object.keys((claimed?.state.trigger ?? {}) as object)).toEqual(['text', 'zeta', 'alpha']);
  });
});
