import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgScheduleRepository } from '../../src/pg/schedule-repo.js';
import { asyncOf } from '../../src/ports.js';
import { ScheduleRepository } from '../../src/schedule-repo.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { scheduleRepoContract, scheduleRow } from './schedule-repo.contract.js';

describe('SQLite', () =>
  scheduleRepoContract(async () => asyncOf(new ScheduleRepository(openDb({ path: ':memory:' })))));

describeWithPostgres('Postgres', () => {
  scheduleRepoContract(async () => new PgScheduleRepository(pgDb(await migratedPool())));

  it('joins the caller’s transaction: a rolled-back run creation undoes the move', async () => {
    const db = pgDb(await migratedPool());
    const repo = new PgScheduleRepository(db);
    await repo.upsert(scheduleRow('reminders', '2026-05-04T07:00:00.000Z'));
    const claim = { flowId: 'reminders', from: '2026-05-04T07:00:00.000Z', to: '2026-05-05T07:00:00.000Z' };
    await expect(
      db.transaction(async (tx) => {
        expect(await new PgScheduleRepository(tx).advance({ ...claim, at: '2026-05-04T07:00:00.100Z' })).toBe(
          true,
        );
        throw new Error('run creation failed');
      }),
    ).rejects.toThrow('run creation failed');
    expect((await repo.get('reminders'))?.nextFireAt).toBe('2026-05-04T07:00:00.000Z');
  });

  it('hands one occurrence to exactly one of several processes advancing it at once', async () => {
    const schema = await freshSchema();
    await migratePg(poolOn(schema));
    const repos = Array.from({ length: 4 }, () => new PgScheduleRepository(pgDb(poolOn(schema, 3))));
    await repos[0]!.upsert(scheduleRow('reminders', '2026-05-04T07:00:00.000Z'));
    const claim = { flowId: 'reminders', from: '2026-05-04T07:00:00.000Z', to: '2026-05-05T07:00:00.000Z' };
    // Each claimer holds its transaction open a moment after the move, as run creation would.
    const won = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pgDb(poolOn(schema, 1)).transaction(async (tx) => {
          const moved = await new PgScheduleRepository(tx).advance({
            ...claim,
            at: `2026-05-04T07:00:00.${String(i).padStart(3, '0')}Z`,
          });
          await tx.execute('select pg_sleep(0.02)');
          return moved;
        }),
      ),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await repos[1]!.get('reminders'))?.nextFireAt).toBe('2026-05-05T07:00:00.000Z');
  });
});
