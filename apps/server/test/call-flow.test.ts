import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowsService } from '../src/waits/call-flows.js';
import {
  eventually,
  flowDoc as flow,
  type Loose,
  logNode as log,
  type FlowNode as N,
  startWhatsAppServer,
} from './wa-helpers.js';

let s: Awaited<ReturnType<typeof startWhatsAppServer>>;

const call = (params: object): N => ({ id: 'call', type: 'flow.callFlow', params });

const callStep = (run: Loose) =>
  run.steps.filter((x: Loose) => x.nodeId === 'call' && x.status !== 'running').at(-1);
const runsOf = async (flowId: string) =>
  (await s.api(`/api/executions?flowId=${flowId}`)).body.items as Loose[];

beforeAll(async () => {
  s = await startWhatsAppServer();
  await s.install(
    flow(
      'quote',
      [
        { id: 'pause', type: 'flow.delay', params: { amount: 1, unit: 'seconds' } },
        {
          id: 'price',
          type: 'data.setVariable',
          params: { assignments: [{ name: 'total', value: '{{ trigger.qty }}' }] },
        },
        log('done', 'quote for {{ trigger.waId }}'),
      ],
      ['start->pause', 'pause->price', 'price->done'],
    ),
  );
  await s.install(flow('broken', [call({ flowId: 'does-not-exist' })], ['start->call']));
});
afterAll(() => s.close());

describe('calling another flow, through the server', () => {
  it('waits for the child (same contact) and continues through done with its variables and last output', async () => {
    await s.install(
      flow(
        'order',
        [call({ flowId: 'quote', input: { qty: '{{ trigger.qty }}' } }), log('ok'), log('ko')],
        ['start->call', 'call.done->ok', 'call.failed->ko'],
      ),
    );
    const parent = await s.startRun('order', { qty: 3 }, '34630000001');
    const run = await s.settled(parent);
    expect(run.status).toBe('succeeded');
    const steps = run.steps.filter((x: Loose) => x.nodeId === 'call').map((x: Loose) => x.status);
    expect(steps).toEqual(['waiting', 'succeeded']);
    const out = callStep(run);
    expect(out.ports).toEqual(['done']);
    expect(out.output).toMatchObject({ flowId: 'quote', vars: { total: 3 } });
    const child = await s.execution(out.output.runId);
    expect([child.status, child.contactId]).toEqual(['succeeded', '34630000001']);
    expect(child.steps[0].output).toEqual({ waId: '34630000001', qty: 3 });
  });

  it('leaves through failed with the child’s error, and starts no second child when the step is re-run', async () => {
    await s.install(
      flow(
        'order-broken',
        [call({ flowId: 'broken' }), log('ok'), log('ko', 'child failed: {{ input.error.message }}')],
        ['start->call', 'call.done->ok', 'call.failed->ko'],
      ),
    );
    const run = await s.settled(await s.startRun('order-broken', null));
    const out = callStep(run);
    expect(out.ports).toEqual(['failed']);
    expect(out.output.status).toBe('failed');
    expect(out.output.error.message).toBe('node "call" failed: no flow "does-not-exist" (is it imported?)');

    // The same step asking again (as after a crash) gets its first child back.
    const service = flowsService({ ...s.rt, onStarted: () => {} });
    const again = await service.start({
      flowId: 'broken',
      version: 'active',
      input: null,
      contactId: null,
      parentRunId: run.id,
      parentNodeId: 'call',
      idempotencyKey: `${run.id}:call`,
    });
    expect(again).toMatchObject({ ok: true, runId: out.output.runId, created: false });
  });

  it('starts the child and goes on at once in start mode', async () => {
    await s.install(
      flow(
        'order-async',
        [call({ flowId: 'quote', mode: 'start' }), log('next')],
        ['start->call', 'call.started->next'],
      ),
    );
    const run = await s.settled(await s.startRun('order-async', null, '34630000002'));
    expect(run.status).toBe('succeeded');
    const childId = callStep(run).output.runId;
    // The parent went on without it: the child has not finished (on a busy worker it may not even have
    // started its delay yet).
    expect(['queued', 'running', 'waiting']).toContain((await s.execution(childId)).status);
    expect((await s.settled(childId)).status).toBe('succeeded');
  });

  it('refuses an inactive flow unless asked for its latest version, and flows without a manual trigger', async () => {
    await s.install(flow('draft', [log('hi')], ['start->hi']), false);
    await s.install(flow('call-draft', [call({ flowId: 'draft' })], ['start->call']));
    const refused = await s.settled(await s.startRun('call-draft', null));
    expect(refused.error.message).toBe(
      'node "call" failed: flow "draft" is not active: activate it, or call it with version "latest"',
    );
    await s.install(flow('call-latest', [call({ flowId: 'draft', version: 'latest' })], ['start->call']));
    expect((await s.settled(await s.startRun('call-latest', null))).status).toBe('succeeded');

    await s.install({
      ...flow('on-hook', [log('hi')], ['start->hi']),
      nodes: [
        { id: 'start', type: 'trigger.webhook', params: { path: 'x' }, position: { x: 0, y: 0 } },
        { id: 'hi', type: 'action.log', params: { message: 'hi' }, position: { x: 200, y: 0 } },
      ],
    });
    await s.install(flow('call-hook', [call({ flowId: 'on-hook' })], ['start->call']));
    expect((await s.settled(await s.startRun('call-hook', null))).error.message).toBe(
      'node "call" failed: flow "on-hook" starts with trigger.webhook; only flows that start with a manual trigger (trigger.manual) can be called',
    );
  });

  it('stops an A → B → A loop at call depth 5 with the chain in the error', async () => {
    await s.install(flow('ping', [call({ flowId: 'pong', mode: 'start' })], ['start->call']));
    await s.install(flow('pong', [call({ flowId: 'ping', mode: 'start' })], ['start->call']));
    await s.startRun('ping', null);
    const failed = await eventually(async () => {
      const all = [...(await runsOf('ping')), ...(await runsOf('pong'))];
      return all.length === 6 && all.every((r) => r.status !== 'queued' && r.status !== 'running')
        ? all.filter((r) => r.status === 'failed')
        : undefined;
    });
    expect(failed).toHaveLength(1);
    expect(failed[0].error.message).toBe(
      'node "call" failed: call depth limit (5) reached: ping → pong → ping → pong → ping → pong → ping',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect([...(await runsOf('ping')), ...(await runsOf('pong'))]).toHaveLength(6);
  });

  it('wakes a parent whose child was cancelled by hand, through the sweep', async () => {
    await s.install(
      flow(
        'order-cancel',
        [call({ flowId: 'quote' }), log('ok'), log('ko')],
        ['start->call', 'call.done->ok', 'call.failed->ko'],
      ),
    );
    const parent = await s.startRun('order-cancel', { qty: 1 });
    const childId = await eventually(async () => {
      const r = await s.execution(parent);
      return r.status === 'waiting' ? callStep(r).output.waitingFor.split(':')[1] : undefined;
    });
    expect((await s.api(`/api/executions/${childId}/cancel`, { method: 'POST' })).status).toBe(200);
    const run = await s.settled(parent);
    expect(callStep(run).ports).toEqual(['failed']);
    expect(callStep(run).output).toMatchObject({ runId: childId, status: 'cancelled' });
  });
});

describe('calls across a restart', () => {
  it('a parent parked on its child resumes after the server restarts mid-child', async () => {
    await s.install(
      flow(
        'order-restart',
        [call({ flowId: 'quote', input: { qty: '{{ trigger.qty }}' } }), log('ok')],
        ['start->call', 'call.done->ok'],
      ),
    );
    const parent = await s.startRun('order-restart', { qty: 9 });
    await eventually(async () => ((await s.execution(parent)).status === 'waiting' ? true : undefined));
    const dataDir = s.dataDir;
    await s.close();
    s = await startWhatsAppServer({ SWITCHBOARD_DATA_DIR: dataDir });
    const run = await s.settled(parent);
    expect(run.status).toBe('succeeded');
    expect(callStep(run).output.vars).toEqual({ total: 9 });
  });
});
