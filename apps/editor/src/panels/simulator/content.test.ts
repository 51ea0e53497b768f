import { describe, expect, it } from 'vitest';
import { bubbleContent } from './content';
import type { ChatMessage } from './types';

const out = (extra: Partial<ChatMessage>): ChatMessage => ({
  id: 'm',
  direction: 'out',
  at: '2026-01-01T00:00:00.000Z',
  type: 'interactive',
  status: 'sent',
  ...extra,
});

describe('bubbleContent', () => {
  it('reads our own buttons shape and makes each button tappable as a button_reply', () => {
    const c = bubbleContent(
      out({
        interactive: {
          type: 'buttons',
          body: 'Pick one',
          footer: 'Shop',
          buttons: [{ id: 'yes', title: 'Yes' }],
        },
      }),
    );
    expect(c.body).toBe('Pick one');
    expect(c.footer).toBe('Shop');
    expect(c.choices).toEqual([
      {
        id: 'yes',
        title: 'Yes',
        reply: {
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
        },
      },
    ]);
  });

  it("reads Meta's list shape; rows answer with a list_reply", () => {
    const c = bubbleContent(
      out({
        interactive: {
          type: 'list',
          header: { type: 'text', text: 'Menu' },
          body: { text: 'What do you need?' },
          action: {
            button: 'Options',
            sections: [{ title: 'Help', rows: [{ id: 'agent', title: 'Agent', description: 'Talk to us' }] }],
          },
        },
      }),
    );
    expect(c).toMatchObject({ header: 'Menu', body: 'What do you need?', listButton: 'Options' });
    expect(c.choices[0]?.reply).toEqual({
      type: 'interactive',
      interactive: {
        type: 'list_reply',
        list_reply: { id: 'agent', title: 'Agent', description: 'Talk to us' },
      },
    });
  });

  it("reads Meta's reply buttons", () => {
    const c = bubbleContent(
      out({
        interactive: {
          type: 'button',
          body: { text: 'Ok?' },
          action: { buttons: [{ type: 'reply', reply: { id: 'ok', title: 'OK' } }] },
        },
      }),
    );
    expect(c.choices.map((x) => x.id)).toEqual(['ok']);
  });

  it('shows the customer’s own tap as its title', () => {
    const c = bubbleContent(
      out({
        direction: 'in',
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
      }),
    );
    expect(c).toEqual({ body: 'Yes', choices: [] });
  });

  it('describes templates with their parameters and quick replies', () => {
    const c = bubbleContent(
      out({
        type: 'template',
        template: {
          name: 'cart_reminder',
          language: 'es',
          body: { params: ['Ana', '#12'] },
          buttons: [{ index: 0, subType: 'quick_reply', payload: 'buy' }],
        },
      }),
    );
    expect(c.note).toEqual({ key: 'sim.note.template', vars: { name: 'cart_reminder', language: '(es)' } });
    expect(c.body).toBe('{{1}} Ana\n{{2}} #12');
    expect(c.choices[0]?.reply).toEqual({ type: 'button', button: { payload: 'buy', text: 'buy' } });
  });

  it("reads Meta's template components", () => {
    const c = bubbleContent(
      out({
        type: 'template',
        template: {
          name: 'hello',
          language: { code: 'en_US' },
          components: [
            { type: 'body', parameters: [{ type: 'text', text: 'Bo' }] },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: 0,
              parameters: [{ type: 'payload', payload: 'stop' }],
            },
          ],
        },
      }),
    );
    expect(c.body).toBe('{{1}} Bo');
    expect(c.choices.map((x) => x.id)).toEqual(['stop']);
  });

  it('describes media with its caption and source', () => {
    const c = bubbleContent(
      out({ type: 'media', media: { kind: 'image', link: 'https://x.test/a.png', caption: 'Your receipt' } }),
    );
    expect(c.body).toBe('Your receipt');
    expect(c.note).toEqual({
      key: 'sim.note.media',
      vars: { icon: '🖼', kind: 'image', source: 'https://x.test/a.png' },
    });
  });

  it('falls back to the text, or the type for something unknown', () => {
    expect(bubbleContent(out({ type: 'text', text: 'Hola' })).body).toBe('Hola');
    expect(bubbleContent(out({ type: 'location' })).body).toBe('[location]');
  });
});

describe('the conversation API’s flat shapes', () => {
  it('shows a flattened customer reply by its title, with nothing to tap', () => {
    const c = bubbleContent(
      out({
        direction: 'in',
        type: 'button_reply',
        text: 'Sí',
        interactive: { type: 'button_reply', id: 'yes', title: 'Sí' },
      }),
    );
    expect(c).toEqual({ body: 'Sí', choices: [] });
  });

  it('reads a flat list with a string header', () => {
    const c = bubbleContent(
      out({
        type: 'list',
        text: 'Pick',
        interactive: {
          type: 'list',
          header: 'Menu',
          body: 'Pick',
          buttonText: 'See',
          sections: [{ rows: [{ id: 'a', title: 'A' }] }],
        },
      }),
    );
    expect(c).toMatchObject({ header: 'Menu', body: 'Pick', listButton: 'See' });
    expect(c.choices.map((x) => x.id)).toEqual(['a']);
  });

  it('shows a reaction by its emoji', () => {
    expect(bubbleContent(out({ type: 'reaction', reaction: { messageId: 'x', emoji: '👍' } })).body).toBe(
      '👍',
    );
  });
});
