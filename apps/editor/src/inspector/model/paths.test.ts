import { describe, expect, it } from 'vitest';
import { paramsModel } from './field-model';
import { assignProblems, getIn, moveItem, normalizeProblemPath, removeItem, setIn } from './paths';
import { fieldPaths, unknownKeys } from './walk';

describe('paths', () => {
  it('reads and writes nested values without touching the rest', () => {
    const params = {
      body: 'hi',
      buttons: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
      ],
    };
    const next = setIn(params, ['buttons', 1, 'title'], 'Bee') as typeof params;
    expect(next.buttons[1]).toEqual({ id: 'b', title: 'Bee' });
    expect(next.buttons[0]).toBe(params.buttons[0]);
    expect(params.buttons[1]!.title).toBe('B');
    expect(getIn(next, ['buttons', 1, 'title'])).toBe('Bee');
    expect(getIn(next, ['nope', 3])).toBeUndefined();
  });

  it('removes a property set to undefined and creates containers on the way', () => {
    expect(setIn({ a: 1, b: 2 }, ['a'], undefined)).toEqual({ b: 2 });
    expect(setIn({}, ['before', 'amount'], 2)).toEqual({ before: { amount: 2 } });
    expect(setIn(undefined, ['list', 0], 'x')).toEqual({ list: ['x'] });
  });

  it('moves and removes list items', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b'], 1, 5)).toEqual(['a', 'b']);
    expect(removeItem(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
  });

  it('normalizes problem paths to dot form', () => {
    expect(normalizeProblemPath('buttons[0].title')).toBe('buttons.0.title');
    expect(normalizeProblemPath('.text')).toBe('text');
    expect(normalizeProblemPath('payload["my key"]')).toBe('payload.my key');
    expect(normalizeProblemPath('')).toBe('');
  });

  it('puts each problem at its field, the nearest field above, or the form', () => {
    const visible = new Set(['body', 'buttons', 'buttons.0', 'buttons.0.title']);
    const byField = assignProblems(
      [
        { path: 'buttons[0].title', message: 'too long' },
        { path: 'buttons[3].id', message: 'bad id' },
        { path: 'extra', message: 'unknown property "extra"' },
        { path: '', message: 'whole' },
        { path: 'body', message: 'empty' },
        { path: 'body', message: 'empty' },
      ],
      visible,
    );
    expect(byField.get('buttons.0.title')).toEqual(['too long']);
    expect(byField.get('buttons')).toEqual(['bad id']);
    expect(byField.get('')).toEqual(['unknown property "extra"', 'whole']);
    expect(byField.get('body')).toEqual(['empty']);
  });

  it('lists the field paths a value shows, and keys the schema does not know', () => {
    const model = paramsModel(
      {
        type: 'object',
        properties: {
          body: { type: 'string' },
          keywords: { type: 'array', items: { type: 'string' } },
          sections: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                rows: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
              },
            },
          },
        },
      },
      'x',
    );
    const paths = fieldPaths(model, { sections: [{ rows: [{ id: 'a' }, { id: 'b' }] }], keywords: ['x'] });
    expect([...paths]).toEqual([
      'body',
      'keywords',
      'sections',
      'sections.0',
      'sections.0.rows',
      'sections.0.rows.0',
      'sections.0.rows.0.id',
      'sections.0.rows.1',
      'sections.0.rows.1.id',
    ]);
    expect(unknownKeys(model, { body: 'x', extra: 1 })).toEqual(['extra']);
  });
});
