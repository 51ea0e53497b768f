import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, inboundEvent, registry, runFlow } from '../../test/harness.js';

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

  it('has one output per button plus replied, timeout and error, and refuses reserved ids', () => {
    const node = registry.get('whatsapp.sendAndWait')!;
    expect(node.outputsFor({ text: 'x', buttons })).toEqual([
      'replied',
      'confirm',
      'reschedule',
      'timeout',
      'error',
    ]);
    expect(node.params.safeParse({ text: 'x', buttons: [{ id: 'timeout', title: 'x' }] }).success).toBe(
      false,
    );
  });
});
