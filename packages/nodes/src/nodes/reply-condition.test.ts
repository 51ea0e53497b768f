import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, inboundEvent, registry, runFlow } from '../../test/harness.js';
import { replyIdOf } from './reply-condition.js';

const ids = [{ id: 'confirm', label: 'Confirmar' }, { id: 'reschedule' }, { id: 'plan_pro' }];
const routed = [
  { id: 'choice', type: 'condition.replyId', params: { ids } },
  { id: 'ok', type: 'action.log', params: { message: 'confirm' } },
  { id: 'move', type: 'action.log', params: { message: 'reschedule' } },
  { id: 'pro', type: 'action.log', params: { message: 'pro' } },
  { id: 'else', type: 'action.log', params: { message: 'other' } },
];
const edges = [
  'start->choice',
  'choice.confirm->ok',
  'choice.reschedule->move',
  'choice.plan_pro->pro',
  'choice.other->else',
];

/** Runs the routing flow started by a WhatsApp message; returns the node it went to. */
async function routeMessage(message: Record<string, unknown>, nodes = routed) {
  const run = await runFlow(nodes, edges, inboundEvent('34600000001', message), {
    trigger: 'trigger.whatsappMessage',
  });
  expect(run.status).toBe('succeeded');
  return run.path.at(-1);
}

describe('condition.replyId', () => {
  it('routes a button reply, a list reply and a template quick reply of the trigger message by id', async () => {
    expect(await routeMessage({ type: 'button_reply', id: 'reschedule', title: 'Cambiar cita' })).toBe(
      'move',
    );
    expect(
      await routeMessage({ type: 'list_reply', id: 'plan_pro', title: 'Plan Pro', description: null }),
    ).toBe('pro');
    expect(await routeMessage({ type: 'template_button', payload: 'confirm', text: 'Sí, confirmo' })).toBe(
      'ok',
    );
  });

  it('sends an unlisted id or a typed text to "other"', async () => {
    expect(await routeMessage({ type: 'button_reply', id: 'cancel', title: 'Cancelar' })).toBe('else');
    expect(await routeMessage({ type: 'text', text: 'confirm' })).toBe('else');
  });

  it('reads the reply that arrived on its input after "send and wait", not the message that started the run', async () => {
    const wa = fakeWhatsApp();
    const nodes = [
      {
        id: 'ask',
        type: 'whatsapp.sendAndWait',
        params: { to: '34600000001', text: 'Elige un plan de la lista' },
      },
      ...routed,
    ];
    const run = await runFlow(
      nodes,
      ['start->ask', 'ask.replied->choice', ...edges.slice(1)],
      inboundEvent('34600000001', { type: 'button_reply', id: 'confirm', title: 'Confirmar' }),
      { trigger: 'trigger.whatsappMessage', services: wa.services },
    );
    expect(run.status).toBe('waiting');
    await run.engine.deliver(
      'reply:default:34600000001',
      inboundEvent('34600000001', { type: 'list_reply', id: 'plan_pro', title: 'Pro', description: null }),
    );
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    const steps = await run.store.getSteps(run.runId);
    expect(steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual([
      'start',
      'ask',
      'choice',
      'pro',
    ]);
  });

  it('reads an explicit value: a reference to a message, an answer, or an id', async () => {
    const withValue = (value: unknown) => [{ ...routed[0]!, params: { ids, value } }, ...routed.slice(1)];
    const payload = { order: { reply: { message: { type: 'button_reply', id: 'confirm', title: 'Sí' } } } };
    const viaAnswer = await runFlow(withValue('{{ trigger.order }}'), edges, payload);
    expect(viaAnswer.path.at(-1)).toBe('ok');
    const viaId = await runFlow(withValue('{{ trigger.picked }}'), edges, { picked: 'reschedule' });
    expect(viaId.path.at(-1)).toBe('move');
    const missing = await runFlow(withValue('{{ trigger.nothing }}'), edges, {});
    expect(missing.path.at(-1)).toBe('else');
  });

  it('has one output per id plus "other", and refuses duplicate, reserved or unusable ids', () => {
    const def = registry.get('condition.replyId')!;
    expect(def.outputsFor({ ids })).toEqual(['confirm', 'reschedule', 'plan_pro', 'other']);
    expect(def.toCatalogEntry()).toMatchObject({
      outputs: ['other'],
      dynamicOutputs: { param: 'ids', field: 'id', extra: ['other'] },
    });
    const issues = (params: object) => def.params.safeParse(params).error?.issues.map((i) => i.message);
    expect(issues({ ids: [{ id: 'a' }, { id: 'a' }] })).toEqual(['reply ids must be unique']);
    expect(issues({ ids: [{ id: 'other' }] })).toEqual(['"other" is reserved for replies not listed']);
    expect(issues({ ids: [{ id: 'con espacio' }] })).toEqual([
      'use letters, digits, _ and - (it also names the output)',
    ]);
    expect(issues({ ids: [] })).toEqual(['add at least one reply id']);
  });

  it('finds the id in a message, an event or an answer', () => {
    const tap = { type: 'button_reply', id: 'confirm', title: 'Sí' };
    expect(replyIdOf(tap)).toBe('confirm');
    expect(replyIdOf({ waId: '34600000001', message: tap })).toBe('confirm');
    expect(replyIdOf({ value: 'Sí', reply: { message: tap } })).toBe('confirm');
    expect(replyIdOf({ type: 'template_button', payload: 'STOP_PROMOS', text: 'Parar' })).toBe('STOP_PROMOS');
    expect(replyIdOf({ type: 'text', text: 'confirm' })).toBeNull();
    expect(replyIdOf(null)).toBeNull();
    expect(replyIdOf(['confirm'])).toBeNull();
  });
});
