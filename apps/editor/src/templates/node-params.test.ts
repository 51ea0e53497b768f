import { describe, expect, it } from 'vitest';
import { approvedTemplates, nodePreviewValues, nodeTemplateFields } from './node-params';
import { previewText, type TemplateSlots } from './slots';

const named: TemplateSlots = {
  header: { kind: 'text', params: ['first_name'] },
  body: ['first_name', 'discount_code'],
  named: true,
  buttons: [],
};
const positional: TemplateSlots = {
  header: { kind: 'media', format: 'image' },
  body: ['1', '2', '3'],
  named: false,
  buttons: [
    { index: 0, type: 'url', text: 'Track', needsParam: true },
    { index: 1, type: 'quick_reply', text: 'Stop', needsParam: false },
  ],
};

describe('the send-template node’s parameters', () => {
  it('asks for one value per header and body parameter, counted from the template (no URL buttons)', () => {
    const n = nodeTemplateFields(named);
    expect(n.header.map((f) => f.label)).toEqual(['{{first_name}}']);
    expect(n.body.map((f) => f.label)).toEqual(['{{first_name}}', '{{discount_code}}']);
    const p = nodeTemplateFields(positional);
    // A media header takes a file, not text values; the URL button is not a node parameter.
    expect(p.header).toEqual([]);
    expect(p.body.map((f) => f.key)).toEqual(['body:1', 'body:2', 'body:3']);
  });

  it('previews the text with the node’s values in order, expressions as written, empty ones left as slots', () => {
    const values = nodePreviewValues(positional, [], ['{{ contact.name }}', '', 'A-1']);
    expect(values).toEqual({ 'body:1': '{{ contact.name }}', 'body:3': 'A-1' });
    expect(
      previewText(
        { components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido {{3}} sale el {{2}}.' }] },
        values,
      ),
    ).toBe('Hola {{ contact.name }}, tu pedido A-1 sale el {{2}}.');
    expect(nodePreviewValues(named, ['Ana'], ['Ana', 'HOLA10', 'extra'])).toEqual({
      'header:first_name': 'Ana',
      'body:first_name': 'Ana',
      'body:discount_code': 'HOLA10',
    });
  });

  it('offers the approved templates of the node’s channel, of every channel when it names none', () => {
    const t = (name: string, language: string, channelId: string, status = 'APPROVED') => ({
      name,
      language,
      channelId,
      status,
    });
    const list = [
      t('order_update', 'es_MX', 'mx'),
      t('order_update', 'es_MX', 'es'),
      t('aviso', 'es', 'es'),
      t('promo', 'es', 'es', 'PAUSED'),
      t('aviso', 'en_US', 'mx'),
    ];
    const names = (xs: typeof list) => xs.map((x) => `${x.name}/${x.language}/${x.channelId}`);
    expect(names(approvedTemplates(list, 'es'))).toEqual(['aviso/es/es', 'order_update/es_MX/es']);
    expect(names(approvedTemplates(list, ''))).toEqual([
      'aviso/en_US/mx',
      'aviso/es/es',
      'order_update/es_MX/mx',
    ]);
    expect(approvedTemplates(list, '{{ trigger.channelId }}')).toHaveLength(3);
    expect(approvedTemplates(null, 'es')).toEqual([]);
  });
});
