import { describe, expect, it } from 'vitest';
import { countChars, duplicateIndexes, itemsLimit, limitState, textLimit, totalItems } from './limits';

describe('limits', () => {
  it('counts characters as people do (emoji and accents are one)', () => {
    expect(countChars('¿Qué tal? 👋')).toBe(11);
    expect(countChars('')).toBe(0);
  });

  it('warns near the limit and goes red over it', () => {
    expect(limitState(10, 20)).toBe('ok');
    expect(limitState(18, 20)).toBe('near');
    expect(limitState(20, 20)).toBe('near');
    expect(limitState(21, 20)).toBe('over');
    expect(textLimit('Ver catálogo de temporada', 20)).toEqual({
      count: 25,
      max: 20,
      state: 'over',
      approximate: false,
    });
    expect(textLimit('Hola {{ contact.name }}', 1024).approximate).toBe(true);
  });

  it('counts items, and nested items over a whole list', () => {
    expect(itemsLimit([1, 2, 3, 4], 3)).toMatchObject({ count: 4, state: 'over' });
    expect(itemsLimit(undefined, 3)).toMatchObject({ count: 0, state: 'ok' });
    expect(totalItems([{ rows: [1, 2] }, { rows: [3] }, {}], 'rows')).toBe(3);
  });

  it('finds repeated ids and titles (titles ignore case)', () => {
    const buttons = [
      { id: 'yes', title: 'Sí' },
      { id: 'no', title: 'sí ' },
      { id: 'yes', title: '' },
    ];
    expect(duplicateIndexes(buttons, 'id')).toEqual([2]);
    expect(duplicateIndexes(buttons, 'title')).toEqual([1]);
  });
});
