import type { Json, NodeServices } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, registry, runFlow } from '../../test/harness.js';
import type { HooksService, MessageStatusView } from '../services.js';

/** The harness's WhatsApp fake plus the outbox's view of each message's status. */
function whatsappWithStatuses(initial = 'accepted') {
  const wa = fakeWhatsApp();
  const statuses = new Map<string, MessageStatusView>();
  const base = wa.services.whatsapp!;
  const whatsapp = {
    send: async (args: Parameters<typeof base.send>[0]) => {
      const out = await base.send(args);
      if (out.ok && !statuses.has(out.messageId))
        statuses.set(out.messageId, { messageId: out.messageId, status: initial, error: null });
      return out;
    },
    messageStatus: async ({ messageId }: { messageId: string }) => statuses.get(messageId) ?? null,
  };
  return { ...wa, statuses, services: { whatsapp } as NodeServices };
}

const view = (status: string, error: MessageStatusView['error'] = null): Json => ({
  messageId: 'wamid.FAKE1',
  status,
  error,
});
const sendThenWait = (params: object) => [
  { id: 'send', type: 'whatsapp.sendText', params: { to: '34600000001', text: 'Tu pedido ha salido' } },
  { id: 'wait', type: 'flow.waitForEvent', params },
  { id: 'seen', type: 'action.log', params: { message: 'seen: {{ input.status }}' } },
  { id: 'lost', type: 'action.log', params: { message: 'lost: {{ input.error.title }}' } },
  { id: 'late', type: 'action.log', params: { message: 'late' } },
];
const edges = ['start->send', 'send->wait', 'wait.event->seen', 'wait.failed->lost', 'wait.timeout->late'];

describe('flow.waitForEvent on a sent message', () => {
  it('parks on the message’s read key (with the timeout stored) and continues when it is delivered', async () => {
    const wa = whatsappWithStatuses();
    const run = await runFlow(sendThenWait({ event: 'message.read', timeoutSeconds: 3600 }), edges, null, {
      services: wa.services,
    });
    expect(run.status).toBe('waiting');
    expect((await run.store.getRun(run.runId))?.wakeAt).toBe('2026-05-04T09:00:00.000Z');
    expect(await run.engine.deliver('status:wamid.FAKE1:delivered', view('delivered'))).toEqual([]);
    expect(await run.engine.deliver('status:wamid.FAKE1:read', view('read'))).toEqual([run.runId]);
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    const steps = await run.store.getSteps(run.runId);
    expect(steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual([
      'start',
      'send',
      'wait',
      'seen',
    ]);
    expect(steps.find((s) => s.nodeId === 'wait' && s.status === 'succeeded')?.output).toEqual({
      event: 'message.read',
      messageId: 'wamid.FAKE1',
      status: 'read',
      error: null,
    });
  });

  it('goes on at once when the event already happened; read satisfies a wait for delivered', async () => {
    const wa = whatsappWithStatuses('read');
    const delivered = await runFlow(sendThenWait({ event: 'message.delivered' }), edges, null, {
      services: wa.services,
    });
    expect(delivered.status).toBe('succeeded');
    expect(delivered.path).toEqual(['start', 'send', 'wait', 'seen']);
    expect(delivered.logger.lines.some((l) => l.msg === 'flow log: seen: read')).toBe(true);
  });

  it('waits for a failure and outputs Meta’s error code and title; a wait for read leaves through failed', async () => {
    const error = { code: 131026, title: 'Message undeliverable' };
    const wa = whatsappWithStatuses();
    const failedWait = await runFlow(
      sendThenWait({ event: 'message.failed' }),
      edges.filter((e) => !e.startsWith('wait.failed')),
      null,
      { services: wa.services },
    );
    await failedWait.engine.deliver('status:wamid.FAKE1:failed', view('failed', error));
    await failedWait.engine.runUntilSettled(failedWait.runId);
    const out = (await failedWait.store.getSteps(failedWait.runId)).find(
      (s) => s.nodeId === 'wait' && s.status === 'succeeded',
    );
    expect([out?.ports, out?.output]).toEqual([
      ['event'],
      { event: 'message.failed', messageId: 'wamid.FAKE1', status: 'failed', error },
    ]);

    const refused = whatsappWithStatuses('refused');
    const readWait = await runFlow(sendThenWait({ event: 'message.read' }), edges, null, {
      services: refused.services,
    });
    expect(readWait.path).toEqual(['start', 'send', 'wait', 'lost']);
  });

  it('leaves through timeout when nothing happens in time', async () => {
    const wa = whatsappWithStatuses();
    const run = await runFlow(sendThenWait({ event: 'message.read', timeoutSeconds: 60 }), edges, null, {
      services: wa.services,
    });
    run.clock.advance(60_000);
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    const steps = await run.store.getSteps(run.runId);
    expect(steps.at(-1)?.nodeId).toBe('late');
    expect(steps.find((s) => s.nodeId === 'wait' && s.status === 'succeeded')?.output).toEqual({
      event: 'message.read',
      messageId: 'wamid.FAKE1',
      timeoutSeconds: 60,
    });
  });

  it('finds the message by a reference to the send node, and fails clearly without one', async () => {
    const wa = whatsappWithStatuses('delivered');
    const nodes = sendThenWait({ event: 'message.delivered', message: '{{ nodes.send.messageId }}' });
    nodes.splice(1, 0, { id: 'between', type: 'action.log', params: { message: 'between' } });
    const run = await runFlow(
      nodes,
      ['start->send', 'send->between', 'between->wait', 'wait.event->seen', 'wait.failed->lost'],
      null,
      { services: wa.services },
    );
    expect(run.path).toEqual(['start', 'send', 'between', 'wait', 'seen']);

    const none = await runFlow(
      [{ id: 'wait', type: 'flow.waitForEvent', params: { event: 'message.read' } }],
      ['start->wait'],
      null,
      { services: wa.services },
    );
    expect(none.status).toBe('failed');
    expect(none.steps.at(-1)?.error?.message).toMatch(/no message to wait for: set "message"/);
    const unknown = await runFlow(
      [{ id: 'wait', type: 'flow.waitForEvent', params: { message: 'wamid.NOPE' } }],
      ['start->wait'],
      null,
      { services: wa.services },
    );
    expect(unknown.steps.at(-1)?.error?.message).toBe('no message with id "wamid.NOPE" was sent');
  });
});

describe('flow.waitForEvent on a webhook', () => {
  const payment = (equals: unknown) => [
    {
      id: 'paid',
      type: 'flow.waitForEvent',
      params: { event: 'webhook', path: 'shop-payments', field: 'order.id', equals, timeoutSeconds: 600 },
    },
    { id: 'thanks', type: 'action.log', params: { message: 'paid {{ input.body.order.id }}' } },
  ];
  const body = { type: 'payment.completed', order: { id: 1234 } };

  it('parks on a key carrying path, field and value, and continues with the posted body', async () => {
    const run = await runFlow(payment('{{ trigger.orderId }}'), ['start->paid', 'paid.event->thanks'], {
      orderId: 1234,
    });
    expect(run.status).toBe('waiting');
    expect(await run.engine.deliver('hook:shop-payments:order.id=1235', { body })).toEqual([]);
    expect(
      await run.engine.deliver('hook:shop-payments:order.id=1234', { path: 'shop-payments', body }),
    ).toEqual([run.runId]);
    await run.engine.runUntilSettled(run.runId);
    expect(run.logger.lines.some((l) => l.msg === 'flow log: paid 1234')).toBe(true);
  });

  it('goes on at once with a delivery that came before the run parked', async () => {
    const asked: object[] = [];
    const hooks: HooksService = {
      find: async (args) => {
        asked.push(args);
        return { path: 'shop-payments', body };
      },
    };
    const run = await runFlow(payment('1234'), ['start->paid', 'paid.event->thanks'], null, {
      services: { hooks } as NodeServices,
    });
    expect(run.path).toEqual(['start', 'paid', 'thanks']);
    expect(asked).toEqual([{ path: 'shop-payments', field: 'order.id', equals: '1234', runId: run.runId }]);
  });

  it('names what is missing, and has only event and timeout outputs', () => {
    const node = registry.get('flow.waitForEvent')!;
    const problems = (p: object) => node.params.safeParse(p).error?.issues.map((i) => i.path.join('.'));
    expect(problems({ event: 'webhook' })).toEqual(['path', 'field', 'equals']);
    expect(problems({ event: 'webhook', path: 'Shop Payments', field: 'id', equals: 'x' })).toEqual(['path']);
    expect(problems({ event: 'webhook', path: 'p', field: 'a=b', equals: 'x' })).toEqual(['field']);
    expect(problems({ event: 'message.read', timeoutSeconds: 31 * 86_400 })).toEqual(['timeoutSeconds']);
    expect(node.outputsFor({ event: 'webhook', path: 'p', field: 'id', equals: 1 })).toEqual([
      'event',
      'timeout',
    ]);
    expect(node.outputsFor({ event: 'message.failed' })).toEqual(['event', 'timeout']);
    expect(node.outputsFor({})).toEqual(['event', 'failed', 'timeout']);
  });
});
