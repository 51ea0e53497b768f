import { describe, expect, it } from 'vitest';
import { previewText, templateFields } from '../../templates/slots';
import { draftRequest, missingValues, templateSend } from './model';
import type { TemplateRecord } from './types';

const named: TemplateRecord = {
  id: 't1',
  channelId: 'default',
  name: 'bienvenida_cliente',
  language: 'es',
  category: 'MARKETING',
  status: 'APPROVED',
  parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: '¡Hola {{first_name}}!' },
    { type: 'BODY', text: 'Usa {{discount_code}}, {{first_name}}.' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Ver ofertas' }] },
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
const otp: TemplateRecord = {
  ...named,
  name: 'verification_code',
  category: 'AUTHENTICATION',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: '*{{1}}* is your code.' }],
  parameters: {
    header: { kind: 'none' },
    body: ['1'],
    named: false,
    buttons: [{ index: 0, type: 'url', text: 'Copy code', needsParam: true }],
  },
};

describe('template picker model', () => {
  it('asks for each parameter and says which are still empty', () => {
    expect(templateFields(named.parameters).map((f) => f.key)).toEqual([
      'header:first_name',
      'body:first_name',
      'body:discount_code',
    ]);
    expect(missingValues(otp.parameters, { 'body:1': '123' })).toEqual(['Copy code']);
  });

  it('builds the send the server expects: named, positional, URL buttons', () => {
    expect(
      templateSend(named, {
        'header:first_name': 'Ana',
        'body:first_name': 'Ana',
        'body:discount_code': 'X',
      }),
    ).toEqual({
      type: 'template',
      name: 'bienvenida_cliente',
      language: 'es',
      category: 'marketing',
      header: { type: 'text', params: ['Ana'] },
      body: {
        params: [
          { name: 'first_name', value: 'Ana' },
          { name: 'discount_code', value: 'X' },
        ],
      },
    });
    expect(templateSend(otp, { 'body:1': '123', 'button:0': '123' })).toMatchObject({
      body: { params: ['123'] },
      buttons: [{ index: 0, subType: 'url', text: '123' }],
    });
  });

  it('previews the text with the values given', () => {
    expect(previewText(named, { 'body:discount_code': 'HOLA10' })).toBe(
      '¡Hola {{first_name}}!\nUsa HOLA10, {{first_name}}.\n[Ver ofertas]',
    );
  });

  it('turns the create form into Meta’s components with examples', () => {
    const req = draftRequest({
      name: 'aviso',
      language: 'es',
      category: 'UTILITY',
      header: '',
      body: 'Pedido {{1}} listo, {{2}}',
      footer: 'Tienda',
      quickReplies: 'Gracias\n\n',
      examples: { '1': 'A-1', '2': 'Ana' },
    });
    expect(req.components).toEqual([
      { type: 'BODY', text: 'Pedido {{1}} listo, {{2}}', example: { body_text: [['A-1', 'Ana']] } },
      { type: 'FOOTER', text: 'Tienda' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Gracias' }] },
    ]);
  });
});
