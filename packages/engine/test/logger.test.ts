import { describe, expect, it } from 'vitest';
import { type Logger, lazyChild } from '../src/logger.js';

function recording() {
  const lines: unknown[][] = [];
  let children = 0;
  const make = (bindings: Record<string, unknown>): Logger => ({
    debug: (...a) => lines.push(['debug', bindings, ...a]),
    info: (...a) => lines.push(['info', bindings, ...a]),
    warn: (...a) => lines.push(['warn', bindings, ...a]),
    error: (...a) => lines.push(['error', bindings, ...a]),
    child: (more) => {
      children++;
      return make({ ...bindings, ...more });
    },
  });
  return { root: make({}), lines, children: () => children };
}

describe('lazyChild', () => {
  it('makes the child logger only when something logs, once, with its bindings', () => {
    const r = recording();
    const log = lazyChild(r.root, { nodeId: 'greet' });
    expect(r.children()).toBe(0);
    log.info({ a: 1 }, 'hola');
    log.warn({ b: 2 });
    expect(r.children()).toBe(1);
    expect(r.lines).toEqual([
      ['info', { nodeId: 'greet' }, { a: 1 }, 'hola'],
      ['warn', { nodeId: 'greet' }, { b: 2 }],
    ]);
  });
});
