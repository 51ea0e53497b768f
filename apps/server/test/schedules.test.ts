import { asyncOf, FlowRepository, openDb, SqliteRunStore, sqliteDatabase } from '@switchboard/db';
import { createEngine, ManualClock, type RunState } from '@switchboard/engine';
import { createRegistry } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { FlowService } from '../src/flow-service.js';
import { createLogger } from '../src/logger.js';
import { FlowSchedules } from '../src/schedules.js';

// The schedule service over a real SQLite database, with time moved by hand.

const registry = createRegistry();

function flowDoc(params: Record<string, unknown>, timezone = 'Europe/Madrid', message = 'recordatorio') {
  return {
    schemaVersion: 1,
    id: 'reminders',
    name: 'Appointment reminders',
    nodes: [
      { id: 'every', type: 'trigger.schedule', position: { x: 0, y: 0 }, params },
      { id: 'log', type: 'action.log', position: { x: 1, y: 0 }, params: { message } },
    ],
    edges: [{ id: 'e1', source: 'every', target: 'log' }],
    settings: { timezone },
  };
}

/** A server's schedule side on one database; `restart` builds a new one on the same data, later. */
async function setup(start: string) {
  const db = openDb({ path: ':memory:' });
  const clock = new ManualClock(start);
  const flows = new FlowService(asyncOf(new FlowRepository(db, () => clock.now())), registry);
  const store = new SqliteRunStore<RunState>(db);
  const engine = createEngine({ registry, store, flows, clock });
  const failNextRun = { on: false };
  const database = sqliteDatabase(db, { simulatorChannel: 'simulator' });
  // A run whose creation fails takes the claim of its occurrence down with it (one transaction).
  const createRun = database.repos.runs.createRun;
  database.repos.runs.createRun = async (run) => {
    if (failNextRun.on) {
      failNextRun.on = false;
      throw new Error('disk full');
    }
    await createRun(run);
  };
  const schedulesOf = () =>
    new FlowSchedules({
      database,
      flows,
      engine,
      logger: createLogger('silent'),
      now: () => clock.now(),
    });
  let schedules = schedulesOf();
  await schedules.syncAll();
  /** Triggers of the runs started so far: [version, scheduledFor]. */
  const runs = () =>
    db.$client
      .prepare<[], { v: number; at: string; fired: string }>(
        `select flow_version as v, json_extract(state, '$.trigger.scheduledFor') as at,
           json_extract(state, '$.trigger.firedAt') as fired
         from runs where flow_id = 'reminders' order by created_at, rowid`,
      )
      .all();
  return {
    db,
    clock,
    flows,
    store,
    engine,
    runs,
    failNextRun,
    get schedules() {
      return schedules;
    },
    /** Moves the clock to `at` and ticks once. */
    tickAt(at: string) {
      clock.set(at);
      return schedules.tick();
    },
    /** The process dies; a new one starts at `at` (the rows and runs stay in the database). */
    async restartAt(at: string) {
      clock.set(at);
      schedules = schedulesOf();
      await schedules.syncAll();
    },
  };
}

describe('scheduled flows (manual clock)', () => {
  it('fires an active flow at 09:00 Madrid time every day across the 2026-03-29 DST change, once each', async () => {
    const s = await setup('2026-03-27T12:00:00.000Z');
    expect((await s.flows.create(flowDoc({ cron: '0 9 * * *', payload: { list: 'mañana' } }))).ok).toBe(true);
    expect(await s.schedules.nextRunAt('reminders')).toBeNull(); // not active yet
    expect((await s.tickAt('2026-03-28T08:30:00.000Z')).started).toBe(0);
    await s.flows.setActive('reminders', true);
    expect(await s.schedules.nextRunAt('reminders')).toBe('2026-03-29T07:00:00.000Z'); // from now: 28th's 09:00 is past
    for (const at of [
      '2026-03-29T06:59:59.999Z',
      '2026-03-29T07:00:00.050Z',
      '2026-03-29T07:00:01.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ])
      await s.tickAt(at);
    expect(s.runs()).toEqual([
      { v: 1, at: '2026-03-29T07:00:00.000Z', fired: '2026-03-29T07:00:00.050Z' },
      { v: 1, at: '2026-03-30T07:00:00.000Z', fired: '2026-03-30T07:00:00.000Z' },
    ]);
    expect(await s.schedules.nextRunAt('reminders')).toBe('2026-03-31T07:00:00.000Z');
    // The run goes through the engine like any other, with the schedule payload as its trigger.
    expect(await s.engine.tick()).toBe(2);
    const statuses = s.db.$client.prepare<[], { status: string }>('select status from runs').all();
    expect(statuses.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('stops when the flow is deactivated or deleted, and does not catch up on the inactive time', async () => {
    const s = await setup('2026-05-04T06:00:00.000Z');
    await s.flows.create(flowDoc({ cron: '0 9 * * *' }));
    await s.flows.setActive('reminders', true);
    await s.tickAt('2026-05-04T07:00:00.000Z');
    expect(s.runs()).toHaveLength(1);
    await s.flows.setActive('reminders', false);
    expect(await s.schedules.nextRunAt('reminders')).toBeNull();
    await s.tickAt('2026-05-05T07:00:00.000Z');
    await s.tickAt('2026-05-06T07:00:00.000Z');
    expect(s.runs()).toHaveLength(1);
    s.clock.set('2026-05-06T08:00:00.000Z');
    await s.flows.setActive('reminders', true);
    expect(await s.schedules.nextRunAt('reminders')).toBe('2026-05-07T07:00:00.000Z');
    await s.tickAt('2026-05-06T09:00:00.000Z');
    expect(s.runs()).toHaveLength(1);
    await s.flows.remove('reminders');
    expect(await s.schedules.nextRunAt('reminders')).toBeNull();
    expect((await s.tickAt('2026-05-08T07:00:00.000Z')).nextAt).toBeNull();
    expect(s.runs()).toHaveLength(1);
  });

  it('keeps the next time across a save that leaves the schedule alone, and starts over when it changes', async () => {
    const s = await setup('2026-05-04T06:00:00.000Z');
    await s.flows.create(flowDoc({ cron: '0 9 * * *' }));
    await s.flows.setActive('reminders', true);
    await s.schedules.refresh(); // the loop notices the activation (within a poll interval)
    s.clock.set('2026-05-04T07:00:00.000Z'); // due now, not ticked yet: a save must not lose it
    expect(
      (await s.flows.update('reminders', flowDoc({ cron: '0 9 * * *' }, 'Europe/Madrid', 'nuevo texto'))).ok,
    ).toBe(true);
    expect(await s.schedules.nextRunAt('reminders')).toBe('2026-05-04T07:00:00.000Z');
    await s.tickAt('2026-05-04T07:00:00.010Z');
    expect(s.runs()).toEqual([expect.objectContaining({ v: 2, at: '2026-05-04T07:00:00.000Z' })]);
    await s.flows.update('reminders', flowDoc({ cron: '30 9 * * *' }, 'America/Mexico_City'));
    expect(await s.schedules.nextRunAt('reminders')).toBe('2026-05-04T15:30:00.000Z');
  });

  it('after downtime fires the latest missed time once with runOnce, and none with skip', async () => {
    for (const missed of ['runOnce', 'skip'] as const) {
      const s = await setup('2026-05-04T06:00:00.000Z');
      await s.flows.create(flowDoc({ cron: '0 9 * * *', missed }));
      await s.flows.setActive('reminders', true);
      await s.tickAt('2026-05-04T07:00:00.000Z');
      expect(s.runs()).toHaveLength(1);
      // Down from the 4th at 07:00:01 until the 7th at 10:00: the 5th, 6th and 7th at 09:00 were missed.
      await s.restartAt('2026-05-07T10:00:00.000Z');
      await s.tickAt('2026-05-07T10:00:00.000Z');
      await s.tickAt('2026-05-07T10:00:00.500Z');
      const after = s.runs().slice(1);
      expect(after).toEqual(
        missed === 'runOnce'
          ? [{ v: 1, at: '2026-05-07T07:00:00.000Z', fired: '2026-05-07T10:00:00.000Z' }]
          : [],
      );
      expect(await s.schedules.nextRunAt('reminders')).toBe('2026-05-08T07:00:00.000Z');
      await s.tickAt('2026-05-08T07:00:00.000Z'); // and the next one fires as usual either way
      expect(s.runs().at(-1)?.at).toBe('2026-05-08T07:00:00.000Z');
    }
  });

  it('with skip, still fires a time that fell due after the restart (a late tick is not downtime)', async () => {
    const s = await setup('2026-05-04T06:00:00.000Z');
    await s.flows.create(flowDoc({ cron: '*/10 * * * *', missed: 'skip' }, 'UTC'));
    await s.flows.setActive('reminders', true);
    await s.restartAt('2026-05-04T06:25:00.000Z'); // 06:10 and 06:20 missed while down
    await s.tickAt('2026-05-04T06:41:00.000Z'); // first tick late: 06:30 and 06:40 fell after the start
    expect(s.runs().map((r) => r.at)).toEqual(['2026-05-04T06:40:00.000Z']);
  });

  it('leaves an occurrence due when its run could not be created, and fires it once on the next tick', async () => {
    const s = await setup('2026-05-04T06:00:00.000Z');
    await s.flows.create(flowDoc({ cron: '0 9 * * *' }));
    await s.flows.setActive('reminders', true);
    s.failNextRun.on = true;
    expect((await s.tickAt('2026-05-04T07:00:00.000Z')).started).toBe(0);
    expect(await s.schedules.nextRunAt('reminders')).toBe('2026-05-04T07:00:00.000Z');
    expect((await s.tickAt('2026-05-04T07:00:00.300Z')).started).toBe(1);
    expect((await s.tickAt('2026-05-04T07:00:00.600Z')).started).toBe(0);
    expect(s.runs().map((r) => r.at)).toEqual(['2026-05-04T07:00:00.000Z']);
  });
});
