import { describe, expect, it } from 'vitest';
import { paramsModel } from './field-model';
import { newItem, singular } from './new-item';

const listSchema = {
  type: 'object',
  properties: {
    buttons: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, title: { type: 'string' } },
        required: ['id', 'title'],
      },
    },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: { type: 'string' },
          rows: {
            minItems: 1,
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'string' }, title: { type: 'string' } },
              required: ['id'],
            },
          },
        },
        required: ['rows'],
      },
    },
  },
};

describe('newItem', () => {
  it('fills a fresh id that no other item uses', () => {
    const model = paramsModel(listSchema, 'whatsapp.sendButtons');
    const buttons = model.fields[0]!;
    if (buttons.kind !== 'list') throw new Error('list');
    const params = { buttons: [{ id: 'button_1', title: 'Sí' }] };
    expect(newItem(buttons.item, buttons.hint, 'buttons', params)).toEqual({ id: 'button_2' });
  });

  it('starts required nested lists with their minimum items', () => {
    const model = paramsModel(listSchema, 'whatsapp.sendList');
    const sections = model.fields[1]!;
    if (sections.kind !== 'list') throw new Error('list');
    const params = { sections: [{ rows: [{ id: 'row_1' }] }] };
    expect(newItem(sections.item, sections.hint, 'sections', params)).toEqual({ rows: [{ id: 'row_2' }] });
  });

  it('makes list names singular', () => {
    expect(singular('buttons')).toBe('button');
    expect(singular('cases')).toBe('case');
    expect(singular('entries')).toBe('entry');
    expect(singular('')).toBe('item');
  });
});
