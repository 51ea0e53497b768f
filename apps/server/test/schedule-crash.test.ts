// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import { afterAll, describe, expect, it } from 'vitest';
import { crashLab, type ServerProcess, waitFor } from './process-helpers.js';

// Real processes and a real SIGKILL: a scheduled time that falls while the server is down.

const lab = crashLab();
const boot = lab.boot;
afterAll(() => lab.cleanUp());

/** A flow that runs once a day at `at` (UTC), to the second. */
const daily = (id: string, at: Date, missed: 'runOnce' | 'skip') => ({
  schemaVersion: 1,
  id,
  name: id,
  nodes: [
    {
      id: 'when',
      type: 'trigger.schedule',
      position: { x: 0, y: 0 },
      params: { cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`, missed },
    },
    { id: 'log', type: 'action.log', position: { x: 1, y: 0 }, params: { message: `${id} ran` } },
  ],
  edges: [{ id: 'e1', source: 'when', target: 'log' }],
  settings: { timezone: 'UTC' },
});

const json = async (server: ServerProcess, path: string, method = 'GET'): Promise<Loose> =>
  (await server.api(path, { method })).json();

/** The scheduled times of the flow's runs, as their trigger payloads say. */
async function firedTimes(server: ServerProcess, flowId: string): Promise<string[]> {
  const { items } = await json(server, `/api/executions?flowId=${flowId}`);
  return Promise.all(
    items.map(
      async (r: Loose) => (await json(server, `/api/executions/${r.id}`)).steps[0]?.output?.scheduledFor,
    ),
  );
}

describe('schedules across a crash (SIGKILL)', () => {
  it('fires a time that fell due while the server was down exactly once after restart (runOnce), never with skip', async () => {
    const dataDir = lab.dataDir();
    const a = await boot(dataDir);
    const due = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
    for (const [id, missed] of [
      ['catch-up', 'runOnce'],
      ['skip-missed', 'skip'],
    ] as const) {
      expect(
        (await a.api('/api/flows', { method: 'POST', body: JSON.stringify(daily(id, due, missed)) })).status,
      ).toBe(201);
      expect((await json(a, `/api/flows/${id}/activate`, 'POST')).nextRunAt).toBe(due.toISOString());
    }
    a.proc.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    expect(Date.now()).toBeLessThan(due.getTime()); // the time really falls while nothing runs
    await new Promise((r) => setTimeout(r, due.getTime() - Date.now() + 1_000));

    const b = await boot(dataDir);
    await waitFor(async () => ((await firedTimes(b, 'catch-up')).length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_000)); // time for a duplicate to show up, if there were one
    expect(await firedTimes(b, 'catch-up')).toEqual([due.toISOString()]);
    expect(await firedTimes(b, 'skip-missed')).toEqual([]);
    const tomorrow = new Date(due.getTime() + 86_400_000).toISOString();
    expect((await json(b, '/api/flows/catch-up')).nextRunAt).toBe(tomorrow);
    expect((await json(b, '/api/flows/skip-missed')).nextRunAt).toBe(tomorrow);
    const [run] = (await json(b, '/api/executions?flowId=catch-up')).items;
    expect(run.status).toBe('succeeded');
    expect(b.output()).toContain('"msg":"missed scheduled time run once"');
    expect(b.output()).toContain('"msg":"missed scheduled times skipped"');

    // Killed again and restarted: the occurrence is done; nothing fires twice.
    b.proc.kill('SIGKILL');
    await b.exited;
    const c = await boot(dataDir);
    await new Promise((r) => setTimeout(r, 800));
    expect(await firedTimes(c, 'catch-up')).toEqual([due.toISOString()]);
    c.proc.kill('SIGTERM');
    expect((await c.exited).code).toBe(0);
  });
});
