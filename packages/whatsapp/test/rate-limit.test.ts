import { describe, expect, it } from 'vitest';
import { RateGate, SendPacer } from '../src/rate-limit.js';

describe('pacing', () => {
  it('lets a tenth of a second’s sends through at once, then says how long to wait', () => {
    const gate = new RateGate(80); // 8 per 100 ms
    for (let i = 0; i < 8; i++) expect(gate.reserve(0)).toBe(0);
    expect(gate.reserve(0)).toBe(100);
    expect(gate.reserve(60)).toBe(40);
    expect(gate.reserve(100)).toBe(0);
    const slow = new RateGate(2); // below 10/s: one send per 1/rate seconds
    expect(slow.reserve(0)).toBe(0);
    expect(slow.reserve(200)).toBe(300);
    expect(slow.reserve(500)).toBe(0);
  });

  for (const rate of [1, 3, 15, 80, 1000]) {
    it(`never lets more than ${rate} sends into any one-second window, and keeps up with the rate`, () => {
      const pacer = new SendPacer({ ratePerSecond: rate, pairSpacingMs: 0 });
      const sent: number[] = [];
      for (let t = 0; t < 3000; t++) {
        while (pacer.reserve('ch', `r${sent.length}`, t) === 0) sent.push(t);
      }
      let j = 0;
      for (let i = 0; i < sent.length; i++) {
        while (sent[j]! < sent[i]! - 999) j++;
        expect(i - j + 1).toBeLessThanOrEqual(rate);
      }
      expect(sent.length).toBeGreaterThanOrEqual(3 * rate);
    });
  }

  it('spaces messages to the same recipient, per channel', () => {
    const pacer = new SendPacer({ ratePerSecond: 1000, pairSpacingMs: 1000 });
    expect(pacer.reserve('ch', 'a', 0)).toBe(0);
    expect(pacer.reserve('ch', 'a', 400)).toBe(600);
    expect(pacer.reserve('ch', 'b', 400)).toBe(0);
    expect(pacer.reserve('other', 'a', 400)).toBe(0);
    expect(pacer.reserve('ch', 'a', 1000)).toBe(0);
  });
});
