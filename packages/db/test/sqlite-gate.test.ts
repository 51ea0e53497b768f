import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/connection.js';
import { SqliteRunStore } from '../src/run-store.js';
import { sqliteDatabase } from '../src/sqlite-database.js';

const T = '2026-03-01T10:00:00.000Z';
const channel = (id: string) => ({
  id,
  name: id,
  phoneNumberId: `pn-${id}`,
  wabaId: null,
  displayPhoneNumber: null,
  secrets: 'x',
});

function database(db = openDb({ path: ':memory:' })) {
  return sqliteDatabase(db, { simulatorChannel: 'simulator' });
}
const ids = async (d: ReturnType<typeof database>) => (await d.repos.channels.list()).map((c) => c.id);

describe('SQLite transactions that await (SqliteGate)', () => {
  it('commits everything a transaction wrote, or nothing when it fails', async () => {
    const d = database();
    await d.transaction(async (r) => {
      await r.channels.upsert(channel('a'), T);
      await r.channels.upsert(channel('b'), T);
    });
    await expect(
      d.transaction(async (r) => {
        await r.channels.upsert(channel('c'), T);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await ids(d)).toEqual(['a', 'b']);
  });

  it("keeps another caller's write out of an open transaction: it waits and survives the rollback", async () => {
    const d = database();
    const failing = d.transaction(async (r) => {
      await r.channels.upsert(channel('inside'), T);
      await sleep(30); // the other write below arrives while this transaction is open
      throw new Error('rolled back');
    });
    await sleep(5);
    const outside = d.repos.channels.upsert(channel('outside'), T);
    await expect(failing).rejects.toThrow('rolled back');
    expect((await outside).id).toBe('outside');
    expect(await ids(d)).toEqual(['outside']);
  });

  it('runs concurrent transactions one after the other, and sees reads of its own writes', async () => {
    const d = database();
    const seen: string[][] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((id) =>
        d.transaction(async (r) => {
          await r.channels.upsert(channel(id), T);
          await sleep(5);
          seen.push((await r.channels.list()).map((c) => c.id));
        }),
      ),
    );
    expect(seen).toEqual([['x'], ['x', 'y'], ['x', 'y', 'z']]);
  });

  it('lets work started inside a finished transaction wait for the next one like any caller', async () => {
    const d = database();
    let late: Promise<unknown> | undefined;
    await d.transaction(async () => {
      // A timer set inside the transaction fires after it ended, carrying its context.
      late = sleep(10).then(() => d.repos.channels.upsert(channel('late'), T));
    });
    const second = d.transaction(async (r) => {
      await r.channels.upsert(channel('second'), T);
      await sleep(30);
      throw new Error('second rolled back');
    });
    await expect(second).rejects.toThrow('second rolled back');
    await late;
    expect(await ids(d)).toEqual(['late']);
  });

  it('joins an enclosing transaction when nested', async () => {
    const d = database();
    await expect(
      d.transaction(async (r) => {
        await d.transaction(async (inner) => inner.channels.upsert(channel('nested'), T));
        await r.channels.upsert(channel('outer'), T);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await ids(d)).toEqual([]);
  });

  it("holds the run store's writes (and the engine's group commit) until an open transaction ends", async () => {
    const db = openDb({ path: ':memory:' });
    const d = database(db);
    const store = new SqliteRunStore(db);
    const run = (id: string) => ({
      id,
      flowId: 'f',
      flowVersion: 1,
      triggerNodeId: 't',
      contactId: null,
      createdAt: T,
      state: {},
    });
    const failing = d.transaction(async () => {
      await store.createRun(run('inside'));
      await sleep(30);
      throw new Error('rolled back');
    });
    await sleep(5);
    const outside = store.createRun(run('outside'));
    await expect(failing).rejects.toThrow('rolled back');
    await outside;
    expect(await store.getRun('inside')).toBeUndefined();
    expect((await store.getRun('outside'))?.status).toBe('queued');
  });
});
