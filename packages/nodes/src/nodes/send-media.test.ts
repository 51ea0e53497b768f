import { describe, expect, it } from 'vitest';
import { fakeWhatsApp, registry, runFlow } from '../../test/harness.js';

describe('whatsapp.sendMedia', () => {
  it('sends a document by link with a caption and file name', async () => {
    const wa = fakeWhatsApp();
    await runFlow(
      [
        {
          id: 'pdf',
          type: 'whatsapp.sendMedia',
          params: {
            to: '34600000001',
            kind: 'document',
            link: 'https://example.com/factura-0042.pdf',
            caption: 'Tu factura',
            filename: 'factura-0042.pdf',
          },
        },
      ],
      ['start->pdf'],
      null,
      { services: wa.services },
    );
    expect(wa.sent[0]?.message).toEqual({
      type: 'media',
      kind: 'document',
      link: 'https://example.com/factura-0042.pdf',
      caption: 'Tu factura',
      filename: 'factura-0042.pdf',
    });
  });

  it('needs exactly one of link and media id', () => {
    const p = registry.get('whatsapp.sendMedia')!.params;
    expect(p.safeParse({ kind: 'image' }).success).toBe(false);
    expect(p.safeParse({ kind: 'image', link: 'https://x.test/a.png', mediaId: '1' }).success).toBe(false);
  });
});
