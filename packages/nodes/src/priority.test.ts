import { describe, expect, it } from 'vitest';
import { priorityFor, URGENT_KEYWORDS, VIP_VALUES } from './priority.js';

const auto = (text: string, tier: unknown = null) =>
  priorityFor({ mode: 'auto', text, urgentKeywords: URGENT_KEYWORDS, tier, vipValues: VIP_VALUES });

describe('priorityFor', () => {
  it('makes a message with an urgent word urgent, in Spanish or English, whatever the case and accents', () => {
    expect(auto('¡URGENTE! no me llega el pedido')).toBe('urgent');
    expect(auto('necesito ayuda ya mismo')).toBe('urgent');
    expect(auto('This is an emergency')).toBe('urgent');
    expect(auto('Es una emergéncia')).toBe('urgent');
  });

  it('matches whole words and phrases only, so "asapp" or "ya mismos" are not urgent', () => {
    expect(auto('lo necesito urgentemente')).toBe('urgent');
    expect(auto('asapp')).toBe('normal');
    expect(auto('ya mismos')).toBe('normal');
  });

  it('gives VIP tiers high priority, ignoring case and accents, and lets urgency win over tier', () => {
    expect(auto('hola', 'VIP')).toBe('high');
    expect(auto('hola', ['gold', 'vip'])).toBe('high');
    expect(auto('hola', 'gold')).toBe('normal');
    expect(auto('hola', null)).toBe('normal');
    expect(auto('urgente por favor', 'vip')).toBe('urgent');
    expect(
      priorityFor({
        mode: 'auto',
        text: 'hola',
        urgentKeywords: [],
        tier: 'Platino',
        vipValues: ['platino'],
      }),
    ).toBe('high');
  });

  it('takes a fixed priority as it is', () => {
    expect(
      priorityFor({
        mode: 'low',
        text: 'URGENTE',
        urgentKeywords: URGENT_KEYWORDS,
        tier: 'vip',
        vipValues: ['vip'],
      }),
    ).toBe('low');
  });
});
