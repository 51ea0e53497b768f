import type { NodeServices } from '@switchboard/engine';
import { describe, expect, it } from 'vitest';
import { fakeContacts, fakeWhatsApp, inboundEvent, registry, runFlow } from '../../test/harness.js';
import type { OutgoingMessage, SendOutcome } from '../services.js';

const buttons = [
  { id: 'confirm', title: 'Confirmar' },
  { id: 'reschedule', title: 'Cambiar cita' },
];
const flow = (timeoutSeconds = 3600) => [
  {
    id: 'ask',
    type: 'whatsapp.sendAndWait',
    params: { to: '34600000001', text: '¿Confirmas tu cita de mañana?', buttons, timeoutSeconds },
  },
  { id: 'ok', type: 'action.log', params: { message: 'confirmed' } },
  { id: 'move', type: 'action.log', params: { message: 'reschedule' } },
  { id: 'other', type: 'action.log', params: { message: 'other: {{ input.message.text }}' } },
  { id: 'late', type: 'action.log', params: { message: 'no answer' } },
];
const edges = [
  'start->ask',
  'ask.confirm->ok',
  'ask.reschedule->move',
  'ask.replied->other',
  'ask.timeout->late',
];

describe('whatsapp.sendAndWait', () => {
  it('sends once, waits on the contact’s reply key, and leaves through the tapped button', async () => {
    const wa = fakeWhatsApp();
    const run = await runFlow(flow(), edges, null, { services: wa.services });
    expect(run.status).toBe('waiting');
    const woken = await run.engine.deliver(
      'reply:default:34600000001',
      inboundEvent('34600000001', { type: 'button_reply', id: 'reschedule', title: 'Cambiar cita' }),
    );
    expect(woken).toEqual([run.runId]);
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    const steps = await run.store.getSteps(run.runId);
    expect(steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual([
      'start',
      'ask',
      'move',
    ]);
    expect(wa.sent).toHaveLength(1);
  });

  it('leaves through "replied" for a free-text answer and "timeout" when nobody answers', async () => {
    const wa = fakeWhatsApp();
    const a = await runFlow(flow(), edges, null, { services: wa.services });
    await a.engine.deliver(
      'reply:default:34600000001',
      inboundEvent('34600000001', { type: 'text', text: 'mejor el jueves' }),
    );
    await a.engine.runUntilSettled(a.runId);
    expect(a.logger.lines.some((l) => l.msg === 'flow log: other: mejor el jueves')).toBe(true);
    const b = await runFlow(flow(60), edges, null, { services: wa.services });
    b.clock.advance(60_000);
    await b.engine.runUntilSettled(b.runId);
    expect((await b.store.getSteps(b.runId)).at(-1)?.nodeId).toBe('late');
  });

  it('sends the template instead when the 24-hour window is closed, and a tap on it resumes the button', async () => {
    const sent: OutgoingMessage[] = [];
    const services = {
      whatsapp: {
        async send({ message }: { message: OutgoingMessage }): Promise<SendOutcome> {
          sent.push(message);
          if (message.type !== 'template')
            return { ok: false, reason: 'outside_24h_window', message: 'the window is closed' };
          return { ok: true, messageId: 'wamid.T', status: 'queued' };
        },
      },
    } as NodeServices;
    const [ask, ...rest] = flow();
    const template = { name: 'appointment_reminder', language: 'es', bodyParams: ['Ana', 'jueves 10:00'] };
    const nodes = [{ ...ask!, params: { ...ask!.params, template } }, ...rest];
    const run = await runFlow(nodes, edges, null, { services });
    expect(run.status).toBe('waiting');
    expect(sent.map((m) => m.type)).toEqual(['buttons', 'template']);
    expect(sent[1]).toEqual({
      type: 'template',
      name: 'appointment_reminder',
      language: 'es',
      category: 'utility',
      body: { params: ['Ana', 'jueves 10:00'] },
      buttons: [
        { index: 0, subType: 'quick_reply', payload: 'confirm' },
        { index: 1, subType: 'quick_reply', payload: 'reschedule' },
      ],
    });
    await run.engine.deliver(
      'reply:default:34600000001',
      inboundEvent('34600000001', { type: 'template_button', payload: 'confirm', text: 'Confirmar' }),
    );
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    expect((await run.store.getSteps(run.runId)).at(-1)?.nodeId).toBe('ok');
  });

  it('sends the template straight away when the contacts service knows the window is closed', async () => {
    const [ask, ...rest] = flow();
    const template = { name: 'appointment_reminder', language: 'en_US' };
    const nodes = [{ ...ask!, params: { ...ask!.params, template } }, ...rest];
    const types = async (lastInboundAt: string) => {
      const wa = fakeWhatsApp();
      const contacts = fakeContacts({ '34600000001': { lastInboundAt } });
      await runFlow(nodes, edges, null, { services: { ...wa.services, ...contacts.services } });
      return wa.sent.map((m) => m.message.type);
    };
    // The harness clock is 2026-05-04T08:00Z.
    expect(await types('2026-05-03T07:59:00.000Z')).toEqual(['template']); // 24 h and a minute ago
    expect(await types('2026-05-03T09:00:00.000Z')).toEqual(['buttons']); // 23 hours ago: still open
  });

  it('leaves through error with the reason when the window is closed and there is no template', async () => {
    const wa = fakeWhatsApp({ '34600000001': 'outside_24h_window' });
    const nodes = [
      ...flow(),
      { id: 'failed', type: 'action.log', params: { message: '{{ input.reason }}' } },
    ];
    const run = await runFlow(nodes, [...edges, 'ask.error->failed'], null, { services: wa.services });
    expect(run.status).toBe('succeeded');
    expect(run.path).toEqual(['start', 'ask', 'failed']);
    expect(run.logger.lines.some((l) => l.msg === 'flow log: outside_24h_window')).toBe(true);
  });

  it('has one output per button plus replied, timeout and error, and refuses reserved ids', () => {
    const node = registry.get('whatsapp.sendAndWait')!;
    expect(node.outputsFor({ text: 'x', buttons })).toEqual([
      'replied',
      'confirm',
      'reschedule',
      'timeout',
      'error',
    ]);
    // A title that is a reference (translated texts in variables) only parses at run time; the ports stand.
    const translated = [{ id: 'confirm', title: '{{ vars.confirmTitleInSpanish }}' }];
    expect(node.outputsFor({ text: 'x', buttons: translated })).toEqual([
      'replied',
      'confirm',
      'timeout',
      'error',
    ]);
    expect(node.params.safeParse({ text: 'x', buttons: [{ id: 'timeout', title: 'x' }] }).success).toBe(
      false,
    );
  });
});
