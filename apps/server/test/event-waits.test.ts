import { signBody } from '@switchboard/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBehindItsBack } from './in-process.js';
import {
  eventually,
  flowDoc as flow,
  type Loose,
  logNode as log,
  type FlowNode as N,
  startWhatsAppServer,
} from './wa-helpers.js';

const PAY_SECRET = 'pay-secret-0123';
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;

const succeededPath = (run: Loose) =>
  run.steps.filter((x: Loose) => x.status === 'succeeded').map((x: Loose) => x.nodeId);
const step = (run: Loose, nodeId: string) =>
  run.steps.find((x: Loose) => x.nodeId === nodeId && x.status === 'succeeded');
/** A customer message opens the 24-hour window (once the dispatcher has stored it), so flows may send text. */
async function openWindow(waId: string) {
  await s.api('/api/sandbox/messages', { method: 'POST', json: { from: waId, text: 'hola' } });
  await eventually(async () => {
    const c = await s.api(`/api/contacts/${waId}`);
    return c.status === 200 && c.body.lastInboundAt ? true : undefined;
  });
}

beforeAll(async () => {
  process.env.PAY_SECRET = PAY_SECRET;
  // sent, delivered and read arrive 150, 300 and 600 ms after each send.
  s = await startWhatsAppServer({ WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '150,300,600' });
});
afterAll(async () => {
  await s.close();
  delete process.env.PAY_SECRET;
});

describe('waiting for a message status, through the sandbox', () => {
  const readFlow = flow(
    'read-receipt',
    [
      { id: 'send', type: 'whatsapp.sendText', params: { text: 'Tu pedido ha salido' } },
      { id: 'wait', type: 'flow.waitForEvent', params: { event: 'message.read', timeoutSeconds: 30 } },
      log('seen', 'read at status {{ input.status }}'),
      log('lost', 'failed: {{ input.error.code }}'),
      log('late'),
    ],
    ['start->send', 'send->wait', 'wait.event->seen', 'wait.failed->lost', 'wait.timeout->late'],
  );

  it('parks after sending and continues when the sandbox’s read status webhook arrives', async () => {
    await s.install(readFlow);
    await openWindow('34620000001');
    const runId = await s.startRun('read-receipt', { waId: '34620000001' });
    const parked = await eventually(async () => {
      const r = await s.execution(runId);
      return r.status === 'waiting' ? r : undefined;
    });
    expect(parked.steps.map((x: Loose) => `${x.nodeId}:${x.status}`)).toContain('wait:waiting');
    const run = await s.settled(runId);
    expect(succeededPath(run)).toEqual(['start', 'send', 'wait', 'seen']);
    expect(step(run, 'wait').output).toMatchObject({ event: 'message.read', status: 'read', error: null });
    const [message] = (await s.api('/api/messages?waId=34620000001')).body.items;
    expect(step(run, 'wait').output.messageId).toBe(message.id);
  });

  it('goes on at once when the message was read before the node parked (read implies delivered)', async () => {
    await s.install(
      flow(
        'read-first',
        [
          { id: 'send', type: 'whatsapp.sendText', params: { text: 'Hola' } },
          { id: 'later', type: 'flow.delay', params: { amount: 1, unit: 'seconds' } },
          {
            id: 'wait',
            type: 'flow.waitForEvent',
            params: { event: 'message.delivered', message: '{{ nodes.send.messageId }}' },
          },
          log('seen'),
        ],
        ['start->send', 'send->later', 'later->wait', 'wait.event->seen'],
      ),
    );
    await openWindow('34620000002');
    const run = await s.settled(await s.startRun('read-first', { waId: '34620000002' }));
    expect(succeededPath(run)).toEqual(['start', 'send', 'later', 'wait', 'seen']);
    expect(run.steps.filter((x: Loose) => x.nodeId === 'wait').map((x: Loose) => x.status)).toEqual([
      'succeeded',
    ]);
    expect(step(run, 'wait').output.status).toBe('read');
  });

  it('takes the failed path with Meta’s error when the message fails; a failure wait outputs code and title', async () => {
    await s.api('/api/sandbox/recipients/34620000003/fail', {
      method: 'POST',
      json: { code: 131026, title: 'Message undeliverable' },
    });
    await openWindow('34620000003');
    const run = await s.settled(await s.startRun('read-receipt', { waId: '34620000003' }));
    expect(succeededPath(run)).toEqual(['start', 'send', 'wait', 'lost']);
    expect(step(run, 'wait').output).toMatchObject({
      status: 'failed',
      error: { code: 131026, title: 'Message undeliverable' },
    });

    await s.install(
      flow(
        'watch-failure',
        [
          { id: 'send', type: 'whatsapp.sendText', params: { text: 'Hola' } },
          { id: 'wait', type: 'flow.waitForEvent', params: { event: 'message.failed' } },
          log('alert', 'failed with {{ input.error.code }}: {{ input.error.title }}'),
        ],
        ['start->send', 'send->wait', 'wait.event->alert'],
      ),
    );
    await s.api('/api/sandbox/recipients/34620000004/fail', {
      method: 'POST',
      json: { code: 131049, title: 'Not delivered to maintain healthy ecosystem engagement' },
    });
    await openWindow('34620000004');
    const watched = await s.settled(await s.startRun('watch-failure', { waId: '34620000004' }));
    expect(succeededPath(watched)).toEqual(['start', 'send', 'wait', 'alert']);
    expect(step(watched, 'wait').output).toMatchObject({
      event: 'message.failed',
      error: { code: 131049, title: 'Not delivered to maintain healthy ecosystem engagement' },
    });
  });
  it('wakes a wait for read when the Cloud API refuses the send for good (the sender marks it failed)', async () => {
    await openWindow('34620000005');
    await s.api('/api/sandbox/faults', { method: 'POST', json: { faults: [{ status: 400, code: 131008 }] } });
    const run = await s.settled(await s.startRun('read-receipt', { waId: '34620000005' }));
    expect(succeededPath(run)).toEqual(['start', 'send', 'wait', 'lost']);
    expect(step(run, 'wait').output).toMatchObject({ status: 'failed', error: { code: 131008 } });
  });
});

describe('waiting for a webhook with a correlation value (/hooks/<path>)', () => {
  const waitPayment = (id: string, before: N[] = []) =>
    flow(
      id,
      [
        ...before,
        {
          id: 'paid',
          type: 'flow.waitForEvent',
          params: {
            event: 'webhook',
            path: 'shop-payments',
            field: 'order.id',
            equals: '{{ trigger.orderId }}',
            secretFrom: 'env:PAY_SECRET',
            timeoutSeconds: 1,
          },
        },
        log('thanks', 'paid {{ input.body.order.total }}'),
        log('unpaid'),
      ],
      [
        before.length ? `start->${before[0]!.id}` : 'start->paid',
        ...(before.length ? [`${before[0]!.id}->paid`] : []),
        'paid.event->thanks',
        'paid.timeout->unpaid',
      ],
    );
  const pay = (body: object, secret = PAY_SECRET) => {
    const raw = JSON.stringify(body);
    return fetch(`${s.base}/hooks/shop-payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signBody(raw, secret) },
      body: raw,
    });
  };

  it('continues only for the matching order, with the posted body; unsigned posts are refused', async () => {
    await s.install(waitPayment('await-payment'));
    const runId = await s.startRun('await-payment', { orderId: 'MX-77' });
    await eventually(async () => ((await s.execution(runId)).status === 'waiting' ? true : undefined));
    expect((await pay({ type: 'payment.completed', order: { id: 'MX-77' } }, 'wrong')).status).toBe(401);
    expect((await pay({ type: 'payment.completed', order: { id: 'MX-78', total: 5 } })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 150));
    expect((await s.execution(runId)).status).toBe('waiting');
    expect((await pay({ type: 'payment.completed', order: { id: 'MX-77', total: 120 } })).status).toBe(202);
    const run = await s.settled(runId);
    expect(succeededPath(run)).toEqual(['start', 'paid', 'thanks']);
    expect(step(run, 'paid').output).toMatchObject({
      event: 'webhook',
      path: 'shop-payments',
      body: { order: { id: 'MX-77', total: 120 } },
    });
  });

  it('still takes signed payments for a run parked on a flow switched off meanwhile', async () => {
    await s.install(waitPayment('switched-off'));
    const runId = await s.startRun('switched-off', { orderId: 'MX-80' });
    await eventually(async () => ((await s.execution(runId)).status === 'waiting' ? true : undefined));
    await s.api('/api/flows/switched-off/deactivate', { method: 'POST' });
    await s.api('/api/flows/await-payment/deactivate', { method: 'POST' });
    expect((await pay({ order: { id: 'MX-80' } }, 'wrong')).status).toBe(401);
    expect((await pay({ order: { id: 'MX-80', total: 1 } })).status).toBe(202);
    expect(succeededPath(await s.settled(runId))).toEqual(['start', 'paid', 'thanks']);
    await s.api('/api/flows/await-payment/activate', { method: 'POST' });
  });

  it('counts a payment that arrived before the run parked, and times out when none comes', async () => {
    await s.install(
      waitPayment('pay-after-delay', [
        { id: 'pause', type: 'flow.delay', params: { amount: 1, unit: 'seconds' } },
      ]),
    );
    const early = await s.startRun('pay-after-delay', { orderId: 'MX-90' });
    expect((await pay({ type: 'payment.completed', order: { id: 'MX-90', total: 9 } })).status).toBe(202);
    const run = await s.settled(early);
    expect(succeededPath(run)).toEqual(['start', 'pause', 'paid', 'thanks']);
    expect(run.steps.filter((x: Loose) => x.nodeId === 'paid').map((x: Loose) => x.status)).toEqual([
      'succeeded',
    ]);

    const never = await s.settled(await s.startRun('await-payment', { orderId: 'MX-91' }));
    expect(succeededPath(never)).toEqual(['start', 'paid', 'unpaid']);
  });
});

describe('after a restart', () => {
  it('delivers a wait whose event happened while the server was down (start-up sweep)', async () => {
    // Statuses after "sent" never come while this server runs.
    const first = await startWhatsAppServer({ WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '50,3600000,3600000' });
    const prev = s;
    s = first;
    try {
      await s.install(
        flow(
          'read-later',
          [
            { id: 'send', type: 'whatsapp.sendText', params: { text: 'Hola' } },
            { id: 'wait', type: 'flow.waitForEvent', params: { event: 'message.read' } },
            log('seen'),
          ],
          ['start->send', 'send->wait', 'wait.event->seen'],
        ),
      );
      await openWindow('34620000009');
      const runId = await s.startRun('read-later', { waId: '34620000009' });
      await eventually(async () => ((await s.execution(runId)).status === 'waiting' ? true : undefined));
      const [message] = (await s.api('/api/messages?waId=34620000009')).body.items;
      const dbPath = s.rt.config.dbPath;
      await s.close();
      // As if a read had been stored by a process that died before anything woke the run.
      await writeBehindItsBack(
        { dataDir: first.dataDir, dbPath },
        "update outbox set status = 'read' where id = ?",
        [message.id],
      );
      s = await startWhatsAppServer({
        SWITCHBOARD_DATA_DIR: first.dataDir,
        WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '50,3600000,3600000',
      });
      const run = await s.settled(runId);
      expect(succeededPath(run)).toEqual(['start', 'send', 'wait', 'seen']);
      expect(step(run, 'wait').output).toMatchObject({ messageId: message.id, status: 'read' });
    } finally {
      await s.close();
      s = prev;
    }
  });
});
