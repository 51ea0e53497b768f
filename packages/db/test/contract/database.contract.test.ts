import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { pgDb } from '../../src/pg/connection.js';
import { pgDatabase } from '../../src/pg/database.js';
import type { Database } from '../../src/repositories.js';
import { sqliteDatabase } from '../../src/sqlite-database.js';
import { describeWithPostgres, migratedPool } from '../pg-harness.js';

// `Database.transaction` on both databases: what the server's transactional logic relies on.

const T = '2026-03-01T10:00:00.000Z';
const channel = (id: string) => ({
  id,
  name: id,
  phoneNumberId: `pn-${id}`,
  wabaId: null,
  displayPhoneNumber: null,
  secrets: 'x',
});
const run = (id: string) => ({
  id,
  flowId: 'f',
  flowVersion: 1,
  triggerNodeId: 't',
  contactId: null,
  createdAt: T,
  state: { vars: { n: 1 } },
});

function databaseContract(make: () => Promise<Database>) {
  it('commits the writes of several repositories, and the run store, together', async () => {
    const d = await make();
    await d.transaction(async (r) => {
      await r.channels.upsert(channel('a'), T);
      await r.runs.createRun(run('r1'));
      await r.calls.insert({
        childRunId: 'r1',
        parentRunId: 'p',
        parentNodeId: 'call',
        idempotencyKey: 'p:call',
        depth: 1,
        createdAt: T,
      });
    });
    expect((await d.repos.channels.get('a'))?.id).toBe('a');
    expect(await d.repos.runs.getState('r1')).toEqual({ vars: { n: 1 } });
    expect((await d.repos.calls.byIdempotencyKey('p:call'))?.childRunId).toBe('r1');
  });

  it('rolls all of them back when the callback fails, and keeps what was committed before', async () => {
    const d = await make();
    await d.repos.channels.upsert(channel('kept'), T);
    await expect(
      d.transaction(async (r) => {
        await r.channels.upsert(channel('b'), T);
        await r.runs.createRun(run('r2'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await d.repos.channels.get('b')).toBeUndefined();
    expect(await d.repos.runs.getState('r2')).toBeUndefined();
    expect((await d.repos.channels.list()).map((c) => c.id)).toEqual(['kept']);
  });

  it('undoes only a failed savepoint, and the transaction goes on to commit the rest', async () => {
    const d = await make();
    await d.transaction(async (r) => {
      await r.channels.upsert(channel('before'), T);
      await expect(
        r.savepoint(async (sp) => {
          await sp.channels.upsert(channel('undone'), T);
          // A statement that fails in the database (a duplicate key), as a poison event's would.
          await sp.channels.upsert({ ...channel('clash'), phoneNumberId: 'pn-before' }, T);
        }),
      ).rejects.toThrow();
      await r.savepoint(async (sp) => {
        await sp.channels.upsert(channel('kept'), T);
      });
      await r.channels.upsert(channel('after'), T);
    });
    expect((await d.repos.channels.list()).map((c) => c.id)).toEqual(['after', 'before', 'kept']);
  });

  it('sees its own writes inside, before they commit', async () => {
    const d = await make();
    const seen = await d.transaction(async (r) => {
      await r.channels.upsert(channel('c'), T);
      return (await r.channels.list()).map((c) => c.id);
    });
    expect(seen).toEqual(['c']);
  });
}

describe('SQLite database', () => {
  databaseContract(async () =>
    sqliteDatabase(openDb({ path: ':memory:' }), { simulatorChannel: 'simulator' }),
  );
});

describeWithPostgres('Postgres database', () => {
  databaseContract(async () => pgDatabase(pgDb(await migratedPool()), { simulatorChannel: 'simulator' }));
});
