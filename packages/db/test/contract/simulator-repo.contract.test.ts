import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/connection.js';
import { migratePg, pgDb } from '../../src/pg/connection.js';
import { PgSimulatorRepository } from '../../src/pg/simulator-repo.js';
import { asyncOf } from '../../src/ports.js';
import { SimulatorRepository } from '../../src/simulator-repo.js';
import { describeWithPostgres, freshSchema, migratedPool, poolOn } from '../pg-harness.js';
import { pgSeed, sqliteSeed } from './simulator-fixtures.js';
import { SIM, simulatorRepoContract } from './simulator-repo.contract.js';

describe('SQLite', () =>
  simulatorRepoContract(async () => {
    const db = openDb({ path: ':memory:' });
    return { repo: asyncOf(new SimulatorRepository(db, SIM)), seed: sqliteSeed(db) };
  }));

describeWithPostgres('Postgres', () => {
  simulatorRepoContract(async () => {
    const db = pgDb(await migratedPool());
    return { repo: new PgSimulatorRepository(db, SIM), seed: pgSeed(db) };
  });

  /** Two processes (pools) on one fresh, migrated schema. */
  async function twoProcesses() {
    const schema = await freshSchema();
    const [a, b] = [poolOn(schema), poolOn(schema)];
    await migratePg(a);
    return {
      a,
      b,
      repoA: new PgSimulatorRepository(pgDb(a), SIM),
      repoB: new PgSimulatorRepository(pgDb(b), SIM),
    };
  }

  it('never moves the cursor past an event whose transaction commits late', async () => {
    const { a, b, repoB } = await twoProcesses();
    const seed = pgSeed(pgDb(b));
    const at = '2026-03-01T10:00:00.000Z';
    // Event 1 takes its id first but commits last; event 2 commits in between.
    const slow = await a.connect();
    await slow.query('begin');
    const late = await slow.query<{ id: string }>(
      `insert into inbound_events (provider, provider_event_id, delivery_id, type, channel_id, wa_id, normalized, occurred_at, received_at)
       values ('whatsapp', 'late', 1, 'message.received', $1, 'w1', '{"messageId":"wamid.late"}', $2, $2) returning id`,
      [SIM, at],
    );
    const early = await seed.inbound({
      waId: 'w1',
      channelId: SIM,
      messageId: 'wamid.early',
      receivedAt: at,
    });
    expect(Number(late.rows[0]?.id)).toBeLessThan(early);
    const polled = repoB.conversation('w1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await slow.query('commit');
    slow.release();
    const first = await polled;
    const next = await repoB.conversation('w1', first.cursor);
    const seen = [...first.inbound, ...next.inbound].map((i) => i.eventId).sort((x, y) => x - y);
    expect(seen).toEqual([Number(late.rows[0]?.id), early]);
  });

  it('takes simultaneous messages and clock changes from several processes', async () => {
    const { b, repoA, repoB } = await twoProcesses();
    const seed = pgSeed(pgDb(b));
    const ids = Array.from({ length: 20 }, (_, i) => `r${i}`);
    for (const id of ids) {
      await seed.run({
        id,
        contactId: 'w1',
        status: 'waiting',
        channelId: SIM,
        createdAt: '2026-03-01T10:00:00.000Z',
      });
    }
    const record = (repo: PgSimulatorRepository, n: number) =>
      repo.recordMessage({
        messageId: `wamid.${n}`,
        waId: 'w1',
        flowId: `flow-${n}`,
        clockOffsetMs: null,
        createdAt: '2026-03-01T10:00:00.000Z',
      });
    // Opposite orders: the rows are locked in id order, so neither waits on the other forever.
    const [changedA, changedB] = await Promise.all([
      repoA.setClockOffset(ids, 1000),
      repoB.setClockOffset([...ids].reverse(), 2000),
      ...Array.from({ length: 10 }, (_, n) => record(n % 2 ? repoA : repoB, n)),
    ]);
    expect([changedA, changedB]).toEqual([20, 20]);
    const offsets = await Promise.all(ids.map((id) => seed.runState(id)));
    expect(new Set(offsets.map((s) => (s as { clockOffsetMs: number }).clockOffsetMs)).size).toBe(1);
    expect((await repoA.session('w1'))?.flowId).toMatch(/^flow-\d$/);
    expect(await repoB.message('wamid.9')).toMatchObject({ flowId: 'flow-9' });
  });
});
