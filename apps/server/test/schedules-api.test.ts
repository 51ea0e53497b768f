// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
type Loose = any;

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess } from './in-process.js';
import { waitFor } from './process-helpers.js';

// The whole server in-process, on the real clock: a flow scheduled every second.

const KEY = 'schedule-test-key-0123456789';
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ base, close } = await startInProcess({
    SWITCHBOARD_API_KEY: KEY,
    SWITCHBOARD_SEED_EXAMPLES: 'false',
  }));
});
afterAll(() => close());

const api = async (path: string, init: { method?: string; json?: unknown } = {}): Promise<Loose> => {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

const scheduled = (id: string, cron: string) => ({
  schemaVersion: 1,
  id,
  name: `Scheduled ${id}`,
  nodes: [
    {
      id: 'tick',
      type: 'trigger.schedule',
      position: { x: 0, y: 0 },
      params: { cron, payload: { job: id } },
    },
    { id: 'log', type: 'action.log', position: { x: 1, y: 0 }, params: { message: '{{ trigger.job }}' } },
  ],
  edges: [{ id: 'e1', source: 'tick', target: 'log' }],
  settings: { timezone: 'Europe/Madrid' },
});

const runsOf = async (flowId: string) =>
  ((await api(`/api/executions?flowId=${flowId}&limit=500`)).body.items as Loose[]).filter(
    (r) => r.status === 'succeeded',
  );

describe('scheduled flows through the API', () => {
  it('refuses a bad cron with a problem that names the field', async () => {
    const { status, body } = await api('/api/flows', {
      method: 'POST',
      json: scheduled('bad', '61 * * * *'),
    });
    expect(status).toBe(400);
    expect(body.problems).toContainEqual(
      expect.objectContaining({
        path: '$.nodes[0].params.cron',
        message: 'cron: "61 * * * *" is not a valid cron expression: minute 61 out of range (0-59)',
      }),
    );
  });

  it('starts runs while active, shows the next run time, and stops when deactivated', async () => {
    const created = await api('/api/flows', {
      method: 'POST',
      json: scheduled('every-second', '* * * * * *'),
    });
    expect(created.status).toBe(201);
    expect(created.body.flow.nextRunAt).toBeNull(); // not active yet
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await runsOf('every-second')).toEqual([]);

    const activated = await api('/api/flows/every-second/activate', { method: 'POST' });
    const next = Date.parse(activated.body.nextRunAt);
    expect(next).toBeGreaterThan(Date.now() - 1_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 1_000);
    const listed = (await api('/api/flows')).body.items.find((f: Loose) => f.id === 'every-second');
    expect(listed.nextRunAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    const runs = await waitFor(async () => {
      const done = await runsOf('every-second');
      return done.length >= 2 ? done : undefined;
    }, 10_000);
    const detail = (await api(`/api/executions/${runs[0].id}`)).body;
    expect(detail.steps[0].output).toMatchObject({
      cron: '* * * * * *',
      timezone: 'Europe/Madrid',
      job: 'every-second',
    });
    expect(Date.parse(detail.steps[0].output.firedAt)).toBeGreaterThanOrEqual(
      Date.parse(detail.steps[0].output.scheduledFor),
    );

    const deactivated = await api('/api/flows/every-second/deactivate', { method: 'POST' });
    expect(deactivated.body.nextRunAt).toBeNull();
    expect((await api('/api/flows/every-second')).body.nextRunAt).toBeNull();
    await new Promise((r) => setTimeout(r, 300)); // a run created just before may still finish
    const settled = (await api('/api/executions?flowId=every-second&limit=500')).body.items.length;
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await api('/api/executions?flowId=every-second&limit=500')).body.items.length).toBe(settled);
    // Each second fired at most once.
    const times = await Promise.all(
      (await runsOf('every-second')).map(
        async (r) => (await api(`/api/executions/${r.id}`)).body.steps[0].output.scheduledFor,
      ),
    );
    expect(new Set(times).size).toBe(times.length);
  });

  it('documents nextRunAt in the OpenAPI schema of flows', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as Loose;
    const listSchema = JSON.stringify(doc.paths['/api/flows'].get.responses['200']);
    expect(listSchema).toContain('nextRunAt');
  });
});
