import { describe, expect, it } from 'vitest';
import type { TemplateRecord } from '../templates/types';
import {
  campaignCanSend,
  campaignParamKeys,
  campaignTemplate,
  campaignValues,
  paramProblem,
  renderParam,
} from './params';

const welcome: TemplateRecord = {
  id: 't1',
  channelId: 'default',
  name: 'bienvenida_cliente',
  language: 'es',
  category: 'MARKETING',
  status: 'APPROVED',
  parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: '¡Hola {{first_name}}!' },
    { type: 'BODY', text: 'Gracias, {{first_name}}. Usa {{discount_code}}.' },
  ],
  quality: 'GREEN',
  rejectedReason: null,
  lastSyncedAt: null,
  parameters: {
    header: { kind: 'text', params: ['first_name'] },
    body: ['first_name', 'discount_code'],
    named: true,
    buttons: [{ index: 0, type: 'quick_reply', text: 'Ver ofertas', needsParam: false }],
  },
};

describe('campaign parameter values', () => {
  it('accepts plain text and every contact placeholder, with or without a quoted fallback', () => {
    for (const ok of [
      'HOLA10',
      '{{contact.name}}',
      '{{ contact.name | "amigo" }}',
      'Hola {{contact.name|"amigo"}}, tu plan {{contact.attributes.plan | ""}}',
      '{{contact.waId}} {{contact.phone}} {{contact.country}}',
      '{{contact.attributes.plan.tier | "say \\"hi\\""}}',
    ])
      expect(paramProblem(ok)).toBeNull();
  });

  it('names what is wrong: empty, unclosed, an unknown field, an unquoted fallback', () => {
    expect(paramProblem('  ')).toEqual({ key: 'campaigns.param.empty' });
    expect(paramProblem('Hola {{contact.name')).toEqual({ key: 'campaigns.param.unclosed' });
    expect(paramProblem('Hola {{name}}')).toEqual({
      key: 'campaigns.param.unknown',
      vars: { placeholder: '{{name}}' },
    });
    expect(paramProblem('{{contact.attributes.}}')).toMatchObject({ key: 'campaigns.param.unknown' });
    expect(paramProblem('{{contact.attributes.my key}}')).toMatchObject({ key: 'campaigns.param.unknown' });
    expect(paramProblem('{{contact.name | amigo}}')).toEqual({
      key: 'campaigns.param.badFallback',
      vars: { placeholder: '{{contact.name | amigo}}' },
    });
  });

  it('renders a value for one contact as the server does: field, fallback, or skipped when empty', () => {
    const ana = { name: 'Ana', waId: '34600', country: 'ES', attributes: { plan: 'gold', visits: 3 } };
    expect(renderParam('Hola {{contact.name | "amigo"}} ({{contact.attributes.plan}})', ana)).toBe(
      'Hola Ana (gold)',
    );
    expect(renderParam('{{contact.attributes.visits}}', ana)).toBe('3');
    expect(renderParam('Hola {{contact.name | "amigo"}}', { name: '' })).toBe('Hola amigo');
    expect(renderParam('Hola {{contact.name}}', { name: null })).toBeNull();
    expect(renderParam('{{contact.attributes.plan}}', { attributes: {} })).toBeNull();
    expect(renderParam('{{contact.name | ""}}', { name: null })).toBeNull();
    expect(renderParam('{{contact.name | "say \\"hi\\""}}', {})).toBe('say "hi"');
    expect(renderParam('{{contact.attributes.tags}}', { attributes: { tags: ['a'] } })).toBe('["a"]');
  });

  it('sends header and body values in the template’s parameter order, and reads them back', () => {
    const values = {
      'header:first_name': '{{contact.name | "amigo"}}',
      'body:first_name': '{{contact.name}}',
      'body:discount_code': 'HOLA10',
    };
    expect(campaignParamKeys(welcome.parameters)).toEqual(Object.keys(values));
    const sent = campaignTemplate(welcome, values);
    expect(sent).toEqual({
      name: 'bienvenida_cliente',
      language: 'es',
      header: { params: ['{{contact.name | "amigo"}}'] },
      body: { params: ['{{contact.name}}', 'HOLA10'] },
    });
    expect(campaignValues(welcome.parameters, sent)).toEqual(values);
    // A template without parameters sends neither part.
    const plain = {
      ...welcome,
      parameters: { ...welcome.parameters, header: { kind: 'none' as const }, body: [] },
    };
    expect(campaignTemplate(plain, {})).toEqual({ name: 'bienvenida_cliente', language: 'es' });
  });

  it('offers only templates a campaign can fill: no media header, no URL button value', () => {
    expect(campaignCanSend(welcome)).toBe(true);
    expect(
      campaignCanSend({
        ...welcome,
        parameters: { ...welcome.parameters, header: { kind: 'media', format: 'IMAGE' } },
      }),
    ).toBe(false);
    expect(
      campaignCanSend({
        ...welcome,
        parameters: {
          ...welcome.parameters,
          buttons: [{ index: 0, type: 'url', text: 'Copy code', needsParam: true }],
        },
      }),
    ).toBe(false);
  });
});
