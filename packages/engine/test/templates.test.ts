// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings hold expressions whose template literals are evaluated later
import { describe, expect, it } from 'vitest';
import { readPath, resolveTemplates, TemplateError } from '../src/templates.js';

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
    expect(
      resolveTemplates({ a: ['{{ vars.count }}'], code: '{{ vars.count }}' }, scope, { skipKeys: ['code'] }),
    ).toEqual({
      a: [3],
      code: '{{ vars.count }}',
    });
  });

  describe('with an expression evaluator', () => {
    // A stand-in for the isolate pool: plain JavaScript over the scope, recording what reached it.
    const seen: string[] = [];
    const evaluate = (source: string) => {
      seen.push(source);
      return new Function(...Object.keys(scope), `return (${source});`)(...Object.values(scope));
    };

    it('reads plain paths itself and sends only real expressions to the evaluator', () => {
      seen.length = 0;
      expect(resolveTemplates('{{ vars.count }}', scope, { evaluate })).toBe(3);
      expect(resolveTemplates('{{ vars.count * 1.21 }}', scope, { evaluate })).toBeCloseTo(3.63);
      expect(resolveTemplates("{{ trigger.missing ?? 'amigo' }}", scope, { evaluate })).toBe('amigo');
      expect(resolveTemplates('{{ vars.ok ? "sí" : "no" }}', scope, { evaluate })).toBe('no');
      expect(seen).toEqual(['vars.count * 1.21', "trigger.missing ?? 'amigo'", 'vars.ok ? "sí" : "no"']);
    });

    it('finds the closing braces past strings, template literals and object literals', () => {
      expect(resolveTemplates('{{ `Hola ${trigger.contact.name}` }}', scope, { evaluate })).toBe('Hola José');
      expect(resolveTemplates('{{ ({ a: "}}" }).a }}!', scope, { evaluate })).toBe('}}!');
      expect(
        resolveTemplates('Total: {{ vars.count + 1 }} {{ trigger.contact.tags }}', scope, { evaluate }),
      ).toBe('Total: 4 ["vip","es"]');
      expect(resolveTemplates('{"a":{{ vars.count }}}', scope, { evaluate })).toBe('{"a":3}');
      expect(resolveTemplates('not closed {{ vars.count', scope, { evaluate })).toBe(
        'not closed {{ vars.count',
      );
    });

    it('names the param path of a failing expression', () => {
      const run = () =>
        resolveTemplates({ buttons: [{ title: 'ok' }, { title: '{{ vars.x.y + 1 }}' }] }, scope, {
          evaluate,
        });
      expect(run).toThrow(TemplateError);
      expect(run).toThrow(
        expect.objectContaining({
          param: 'buttons.1.title',
          source: 'vars.x.y + 1',
          message: expect.stringMatching(/reading 'y'/),
        }),
      );
    });

    it('without an evaluator, fails expressions clearly and still reads paths', () => {
      expect(() => resolveTemplates({ text: '{{ vars.count + 1 }}' }, scope)).toThrow(
        /no expression sandbox/,
      );
      expect(resolveTemplates('{{ unknown.path }}', scope)).toBeUndefined();
    });
  });
});
