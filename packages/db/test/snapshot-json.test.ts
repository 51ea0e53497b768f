import { describe, expect, it } from 'vitest';
import { snapshotJson } from '../src/snapshot-json.js';

describe('snapshotJson', () => {
  it('writes exactly what JSON.stringify writes', () => {
    const trigger = { type: 'message.received', waId: '34600000001', message: { text: '¿Hola? "x"\n' } };
    const values: unknown[] = [
      undefined,
      null,
      3,
      'texto',
      [1, { a: [2, null] }],
      { v: 1, trigger, vars: { n: 1, list: [1, 2], skip: undefined }, outputs: { in: trigger, kw: trigger } },
      { nested: { deeper: { deepest: { x: 1 } } }, empty: {}, arr: [] },
    ];
    for (const v of values) expect(snapshotJson(v)).toBe(v === undefined ? null : JSON.stringify(v));
  });

  it('gives the same text for a shared part on later snapshots', () => {
    const trigger = { waId: '1', message: { text: 'hola' } };
    const first = { trigger, outputs: { in: trigger } };
    const second = { trigger, outputs: { in: trigger, kw: { matched: true } } };
    expect(snapshotJson(first)).toBe(JSON.stringify(first));
    expect(snapshotJson(second)).toBe(JSON.stringify(second));
  });
});
