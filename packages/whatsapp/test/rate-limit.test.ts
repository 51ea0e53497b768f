import { describe, expect, it } from 'vitest';
import { RateGate, SendPacer } from '../src/rate-limit.js';

describe('pacing', () => {
  it('lets sends through at its rate, saying how long to wait otherwise', () => {
    const gate = new RateGate(10);
    expect(gate.reserve(0)).toBe(0);
    expect(gate.reserve(0)).toBe(100);
    expect(gate.reserve(60)).toBe(40);
    expect(gate.reserve(105)).toBe(0);
    expect(gate.reserve(200)).toBe(0); // late by 5 ms: the schedule holds
  });

  it('never lets more than rate + 1 sends into any one-second window', () => {
    const pacer = new SendPacer({ ratePerSecond: 80, pairSpacingMs: 0 });
    const sent: number[] = [];
    for (let t = 0; t < 3000; t++) {
      while (pacer.reserve('ch', `r${sent.length}`, t) === 0) sent.push(t);
    }
    for (const start of sent)
      expect(sent.filter((s) => s >= start && s < start + 1000).length).toBeLessThanOrEqual(81);
    expect(sent.length).toBeGreaterThanOrEqual(239);
  });

  it('spaces messages to the same recipient, per channel', () => {
    const pacer = new SendPacer({ ratePerSecond: 1000, pairSpacingMs: 1000 });
    expect(pacer.reserve('ch', 'a', 0)).toBe(0);
    expect(pacer.reserve('ch', 'a', 400)).toBe(600);
    expect(pacer.reserve('ch', 'b', 400)).toBe(0);
    expect(pacer.reserve('other', 'a', 400)).toBe(0);
    expect(pacer.reserve('ch', 'a', 1000)).toBe(0);
  });
});
