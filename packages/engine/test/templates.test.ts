import { describe, expect, it } from 'vitest';
import { readPath, resolveTemplates } from '../src/templates.js';

const scope = {
  trigger: { text: 'Hola', contact: { name: 'José', tags: ['vip', 'es'] }, 'odd key': 1 },
  vars: { count: 3, ok: false },
};

describe('templates', () => {
  it('keeps the type of a value when the whole string is one reference', () => {
    expect(resolveTemplates('{{ vars.count }}', scope)).toBe(3);
    expect(resolveTemplates('{{vars.ok}}', scope)).toBe(false);
    expect(resolveTemplates('{{ trigger.contact.tags }}', scope)).toEqual(['vip', 'es']);
  });

  it('interpolates references inside text, rendering missing ones as empty', () => {
    expect(
      resolveTemplates('¡{{ trigger.text }}, {{ trigger.contact.name }}! ({{ vars.nope }})', scope),
    ).toBe('¡Hola, José! ()');
  });

  it('reads array indexes and quoted keys, and nothing from the prototype', () => {
    expect(readPath(scope, 'trigger.contact.tags[1]')).toBe('es');
    expect(readPath(scope, 'trigger["odd key"]')).toBe(1);
    expect(readPath(scope, 'trigger.constructor')).toBeUndefined();
    expect(readPath(scope, 'trigger..text')).toBeUndefined();
  });

  it('walks nested params and skips raw keys', () => {
    expect(resolveTemplates({ a: ['{{ vars.count }}'], code: '{{ vars.count }}' }, scope, ['code'])).toEqual({
      a: [3],
      code: '{{ vars.count }}',
    });
  });
});
