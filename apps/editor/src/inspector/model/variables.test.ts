import { describe, expect, it } from 'vitest';
import {
  availableVariables,
  type FlowShape,
  filterVariables,
  insertVariable,
  openTemplateAt,
  upstreamChoiceIds,
} from './variables';

const flow: FlowShape = {
  nodes: [
    { id: 'start', type: 'trigger.whatsappMessage', params: {} },
    { id: 'menu', type: 'whatsapp.sendButtons', params: { buttons: [{ id: 'sales', title: 'Ventas' }] } },
    { id: 'ask', type: 'whatsapp.askQuestion', params: { variable: 'email' } },
    {
      id: 'set',
      type: 'data.setVariable',
      params: { assignments: [{ name: 'total', value: 3 }, { name: '' }] },
    },
    { id: 'reply', type: 'whatsapp.sendText', params: {} },
    { id: 'elsewhere', type: 'data.updateContact', params: { attributes: [{ name: 'plan', value: 'pro' }] } },
    { id: '2nd-step', type: 'data.code', params: {} },
  ],
  edges: [
    { source: 'start', target: 'menu' },
    { source: 'menu', target: 'ask' },
    { source: 'ask', target: 'set' },
    { source: 'set', target: 'reply' },
    { source: 'start', target: '2nd-step' },
    { source: '2nd-step', target: 'reply' },
  ],
};

describe('availableVariables', () => {
  const paths = availableVariables(flow, 'reply').map((v) => v.path);

  it('offers the WhatsApp trigger data', () => {
    expect(paths).toEqual(
      expect.arrayContaining(['trigger.message.text', 'trigger.message.type', 'trigger.waId']),
    );
    expect(paths).toContain('trigger.profileName');
  });

  it('offers every upstream step (nearest first), with known output fields', () => {
    const steps = paths.filter((p) => p.startsWith('steps'));
    expect(steps).toEqual([
      'steps.set',
      'steps["2nd-step"]',
      'steps.ask',
      'steps.ask.value',
      'steps.ask.reply.message.text',
      'steps.menu',
      'steps.menu.messageId',
    ]);
    expect(paths).not.toContain('steps.start');
    expect(paths).not.toContain('steps.reply');
    expect(paths).not.toContain('steps.elsewhere');
  });

  it('offers variables set upstream, contact fields with known attributes, run, now and tz', () => {
    expect(paths.filter((p) => p.startsWith('vars'))).toEqual(['vars.total', 'vars.email']);
    expect(paths).toEqual(
      expect.arrayContaining(['contact.name', 'contact.waId', 'contact.tags', 'contact.attributes.plan']),
    );
    expect(paths).toEqual(expect.arrayContaining(['run.id', 'now', 'tz', 'input']));
  });

  it('gives nothing from nodes downstream', () => {
    const atMenu = availableVariables(flow, 'menu').map((v) => v.path);
    expect(atMenu.filter((p) => p.startsWith('vars') || p.startsWith('steps'))).toEqual([]);
  });

  it('reads the schedule payload and the manual trigger sample', () => {
    const scheduled = availableVariables(
      {
        nodes: [
          { id: 't', type: 'trigger.schedule', params: { payload: { reminder: 1 } } },
          { id: 'n', type: 'x' },
        ],
        edges: [],
      },
      'n',
    ).map((v) => v.path);
    expect(scheduled).toEqual(expect.arrayContaining(['trigger.scheduledFor', 'trigger.reminder']));
  });

  it('lists button and row ids sent upstream', () => {
    expect(upstreamChoiceIds(flow, 'reply')).toEqual(['sales']);
    expect(upstreamChoiceIds(flow, 'menu')).toEqual([]);
    expect(upstreamChoiceIds(flow, 'start')).toEqual(['sales']);
  });
});

describe('typing {{ }}', () => {
  it('finds the template being typed at the caret', () => {
    expect(openTemplateAt('Hola {{', 7)).toEqual({ start: 5, query: '' });
    expect(openTemplateAt('Hola {{ trig', 12)).toEqual({ start: 5, query: 'trig' });
    expect(openTemplateAt('Hola {{ a }} y', 14)).toBeNull();
    expect(openTemplateAt('{{ vars.total * 2', 17)).toBeNull();
    expect(openTemplateAt('Hola', 4)).toBeNull();
  });

  it('inserts {{ path }} and eats a closing brace already there', () => {
    expect(insertVariable('Hola {{ con', 11, 5, 'contact.name')).toEqual({
      text: 'Hola {{ contact.name }}',
      caret: 23,
    });
    expect(insertVariable('Hola {{ con }}!', 11, 5, 'contact.name')).toEqual({
      text: 'Hola {{ contact.name }}!',
      caret: 23,
    });
  });

  it('filters as you type: prefix first, then a segment, then anywhere', () => {
    const options = availableVariables(flow, 'reply');
    const found = filterVariables(options, 'text').map((o) => o.path);
    expect(found[0]).toBe('trigger.message.text');
    expect(found).toContain('steps.ask.reply.message.text');
    expect(filterVariables(options, 'vars').map((o) => o.path)).toEqual(['vars.total', 'vars.email']);
    expect(filterVariables(options, 'zzz')).toEqual([]);
    expect(filterVariables(options, '')).toHaveLength(options.length);
  });
});
