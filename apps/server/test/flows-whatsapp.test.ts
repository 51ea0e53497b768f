import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbound, type Loose, metaBytes, startWhatsAppServer } from './wa-helpers.js';

const triage = JSON.parse(
  readFileSync(new URL('../../../workflows/support-triage.workflow.json', import.meta.url), 'utf8'),
);
let s: Awaited<ReturnType<typeof startWhatsAppServer>>;
beforeAll(async () => {
  s = await startWhatsAppServer();
  expect((await s.api('/api/flows', { method: 'POST', json: triage })).status).toBe(201);
  expect((await s.api('/api/flows/support-triage/activate', { method: 'POST' })).body.active).toBe(true);
});
afterAll(() => s.close());

const customer = (from: string, body: object) =>
  s.api('/api/sandbox/messages', { method: 'POST', json: { from, name: 'Marta', ...body } });
const sentTo = async (waId: string) =>
  ((await s.api(`/api/messages?waId=${waId}`)).body.items as Loose[]).reverse();
const runsOf = async (waId: string) =>
  (await s.api(`/api/executions?flowId=support-triage&contactId=${waId}`)).body.items as Loose[];

describe('a flow driven by WhatsApp messages, end to end through the sandbox', () => {
  it('starts on a customer message, asks with buttons, resumes on the tapped button, and replies', async () => {
    await customer('34610000001', { text: 'Hola, buenas' });
    const asked = await eventually(async () => {
      const m = await sentTo('34610000001');
      return m.length === 1 && m[0].status === 'read' ? m : undefined;
    });
    expect(asked[0].payload).toMatchObject({
      type: 'buttons',
      buttons: [{ id: 'sales' }, { id: 'support' }],
    });
    expect(asked[0].idempotencyKey).toMatch(/:menu$/);
    const [run] = await runsOf('34610000001');
    expect(run.status).toBe('waiting');

    await customer('34610000001', {
      message: {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'support', title: 'Soporte / Support' } },
      },
    });
    const done = await eventually(async () => {
      const r = (await s.api(`/api/executions/${run.id}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    });
    expect(done.steps.filter((x: Loose) => x.status === 'succeeded').map((x: Loose) => x.nodeId)).toEqual([
      'incoming',
      'is-billing',
      'menu',
      'to-support',
    ]);
    const messages = await sentTo('34610000001');
    expect(messages.map((m) => m.payload.text ?? m.payload.body)).toEqual([
      '¡Hola Marta! ¿Con quién quieres hablar? / Who would you like to talk to?',
      'Te paso con Soporte. Cuéntanos qué ocurre. / Support will help you; tell us what happened.',
    ]);
    expect(await runsOf('34610000001')).toHaveLength(1); // the reply resumed the run; it started no new one
  });

  it('answers an invoice question at once, and a re-delivered webhook starts nothing', async () => {
    const raw = metaBytes(
      inbound(
        '34610000002',
        'wamid.invoice1',
        new Date().toISOString(),
        { type: 'text', text: { body: '¿Dónde está mi factura?' } },
        'Marta',
      ),
    );
    expect((await s.hook(raw)).body).toEqual({ received: 1, duplicates: 0 });
    await eventually(async () =>
      (await runsOf('34610000002'))[0]?.status === 'succeeded' ? true : undefined,
    );
    expect((await s.hook(raw)).body).toEqual({ received: 0, duplicates: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(await runsOf('34610000002')).toHaveLength(1);
    const sends = (await s.api('/api/sandbox/sends')).body.items.filter(
      (x: Loose) => x.body.to === '+34610000002',
    );
    expect(sends).toHaveLength(1);
    expect(sends[0].body.text.body).toContain('facturas');
  });

  it('sends nothing from a flow when policy refuses, and takes the error path', async () => {
    const blocked = await customer('5352000001', { text: 'hola' });
    expect(blocked.body.ingressStatus).toBe(200);
    const run = await eventually(async () => {
      const r = (await runsOf('5352000001'))[0];
      return r && r.status !== 'running' && r.status !== 'queued' ? r : undefined;
    });
    expect(run.status).toBe('succeeded'); // the menu node's error port is not wired: the branch just ends
    const messages = await sentTo('5352000001');
    expect(messages.map((m) => [m.status, m.lastError.code])).toEqual([['refused', 'blocked_region']]);
    expect(
      (await s.api('/api/sandbox/sends')).body.items.some((x: Loose) => x.body.to === '+5352000001'),
    ).toBe(false);
  });

  it('answers an opt-out with the consent change only: BAJA does not also start the menu flow', async () => {
    await customer('34610000007', { text: 'BAJA' });
    const contact = await eventually(async () => {
      const c = (await s.api('/api/contacts/34610000007')).body;
      return c?.consent?.all?.optedIn === false ? c : undefined;
    });
    expect(contact.consent.all).toMatchObject({ optedIn: false, source: 'keyword' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await runsOf('34610000007')).toHaveLength(0);
    await customer('34610000007', { text: 'Hola otra vez' }); // an ordinary message still starts it
    await eventually(async () => ((await runsOf('34610000007')).length === 1 ? true : undefined));
  });
});
