import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, inboundEvent, runFlow } from '../../test/harness.js';
import { validateAnswer } from '../validate-answer.js';

const reply = (text: string) => inboundEvent('34600000001', { type: 'text', text });
const nodes = (params: object) => [
  {
    id: 'ask',
    type: 'whatsapp.askQuestion',
    params: {
      to: '34600000001',
      question: '¿Cuántas personas sois?',
      expect: 'number',
      variable: 'guests',
      maxAttempts: 2,
      ...params,
    },
  },
  { id: 'ok', type: 'action.log', params: { message: 'guests={{ vars.guests }}' } },
  { id: 'bad', type: 'action.log', params: { message: 'gave up' } },
];
const edges = ['start->ask', 'ask.answered->ok', 'ask.invalid->bad'];

describe('whatsapp.askQuestion', () => {
  it('re-asks after an invalid answer and stores a valid one in the variable', async () => {
    const wa = fakeWhatsApp();
    const run = await runFlow(nodes({}), edges, null, { services: wa.services });
    await run.engine.deliver('reply:default:34600000001', reply('muchos'));
    expect(await run.engine.runUntilSettled(run.runId)).toBe('waiting');
    await run.engine.deliver('reply:default:34600000001', reply(' 4 '));
    expect(await run.engine.runUntilSettled(run.runId)).toBe('succeeded');
    expect(run.logger.lines.some((l) => l.msg === 'flow log: guests=4')).toBe(true);
    expect(wa.sent.map((s) => [s.message.text, s.idempotencyKey])).toEqual([
      ['¿Cuántas personas sois?', `${run.runId}:ask`],
      [
        'No lo he entendido, ¿puedes repetirlo? / Sorry, could you say that again?',
        `${run.runId}:ask:retry2`,
      ],
    ]);
  });

  it('gives up through "invalid" after the attempt limit', async () => {
    const wa = fakeWhatsApp();
    const run = await runFlow(nodes({}), edges, null, { services: wa.services });
    for (const text of ['no sé', 'varios']) {
      await run.engine.deliver('reply:default:34600000001', reply(text));
      await run.engine.runUntilSettled(run.runId);
    }
    expect((await run.store.getSteps(run.runId)).at(-1)?.nodeId).toBe('bad');
  });

  it('understands numbers, emails, dates and options the way people type them', () => {
    expect(validateAnswer('1.234,5', 'number')).toBe(1234.5);
    expect(validateAnswer('1,234.5', 'number')).toBe(1234.5);
    expect(validateAnswer('12abc', 'number')).toBeNull();
    expect(validateAnswer('Ana@Example.com', 'email')).toBe('ana@example.com');
    expect(validateAnswer('ana@example', 'email')).toBeNull();
    expect(validateAnswer('04/05/2026', 'date')).toBe('2026-05-04');
    expect(validateAnswer('31/02/2026', 'date')).toBeNull();
    expect(validateAnswer('MAÑANA', 'oneOf', ['Hoy', 'Mañana'])).toBe('Mañana');
  });
});
