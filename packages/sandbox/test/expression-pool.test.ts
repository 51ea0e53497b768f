// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings hold expressions whose template literals are evaluated later
import { afterAll, describe, expect, it } from 'vitest';
import { ExpressionPool } from '../src/index.js';

const pool = new ExpressionPool();
afterAll(() => pool.dispose());

const scope = {
  trigger: { text: 'Hola', items: [{ qty: 2, price: 10 }] },
  input: { n: 1 },
  vars: { total: 100 },
  steps: { ask: { answer: 'sí, por favor' } },
  run: { id: 'r1' },
  contact: { name: null, tags: ['vip'] },
  now: '2026-03-28T10:30:00.000Z',
  tz: 'Europe/Madrid',
};
const evaluate = (source: string, s: Record<string, unknown> = scope) => pool.begin(s).evaluate(source);

describe('expression pool', () => {
  it('evaluates JavaScript over the scope and copies the result out as JSON', () => {
    const s = pool.begin(scope);
    expect(s.evaluate('vars.total * 1.21')).toBe(121);
    expect(s.evaluate("contact.name ?? 'amigo'")).toBe('amigo');
    expect(s.evaluate('steps.ask.answer.toUpperCase()')).toBe('SÍ, POR FAVOR');
    expect(s.evaluate('nodes.ask === steps.ask')).toBe(true);
    expect(s.evaluate('`${trigger.text}, ${contact.tags.includes("vip") ? "VIP" : "cliente"}`')).toBe(
      'Hola, VIP',
    );
    expect(s.evaluate('trigger.items.map((i) => ({ sum: i.qty * i.price }))')).toEqual([{ sum: 20 }]);
    expect(s.evaluate('undefined')).toBeUndefined();
    expect(s.evaluate('new Date(now)')).toBe('2026-03-28T10:30:00.000Z');
  });

  it('keeps each session to its own scope when sessions interleave', () => {
    const a = pool.begin({ ...scope, vars: { total: 1 } });
    const b = pool.begin({ ...scope, vars: { total: 2 } });
    expect([a.evaluate('vars.total'), b.evaluate('vars.total'), a.evaluate('vars.total + 10')]).toEqual([
      1, 2, 11,
    ]);
  });

  it('copies a large scope in with its own call, and recovers a session after an error', () => {
    const big = pool.begin({ ...scope, vars: { text: 'x'.repeat(100_000) } });
    expect(big.evaluate('vars.text.length')).toBe(100_000);
    const a = pool.begin({ ...scope, vars: { total: 7 } });
    expect(() => a.evaluate('vars.nope.deeper')).toThrow(/reading 'deeper'/);
    expect(big.evaluate('vars.text.slice(0, 2)')).toBe('xx');
    expect(a.evaluate('vars.total')).toBe(7);
  });

  it('reports syntax and runtime errors with their message', () => {
    expect(() => evaluate('vars.x.y.z')).toThrow(
      expect.objectContaining({
        code: 'script',
        message: "Cannot read properties of undefined (reading 'y')",
      }),
    );
    expect(() => evaluate('for (;;) {}')).toThrow(expect.objectContaining({ code: 'script' }));
    expect(() => evaluate('vars.total +')).toThrow(/Unexpected token/);
  });

  it('gives time helpers in the flow zone, DST-aware (Europe/Madrid springs forward on 2026-03-29)', () => {
    expect(evaluate('date()')).toEqual({
      iso: '2026-03-28T10:30:00.000Z',
      date: '2026-03-28',
      time: '11:30',
      year: 2026,
      month: 3,
      day: 28,
      hour: 11,
      minute: 30,
      second: 0,
      weekday: 6,
    });
    // Same wall time the next day is 23 hours later; 24 hours later is an hour further on the clock.
    expect(evaluate('addDays(now, 1)')).toBe('2026-03-29T09:30:00.000Z');
    expect(evaluate('date(addHours(now, 24)).time')).toBe('12:30');
    expect(evaluate('addMinutes(now, 90)')).toBe('2026-03-28T12:00:00.000Z');
    // 02:30 does not exist on 29 March in Madrid: it lands just after the gap.
    expect(evaluate("date(addDays('2026-03-28T01:30:00Z', 1)).time")).toBe('03:30');
    // Falls back on 25 October: the same wall time is 25 hours later.
    expect(evaluate("addDays('2026-10-24T10:00:00Z', 1)")).toBe('2026-10-25T11:00:00.000Z');
    expect(evaluate("format(now, 'dddd D [de] MMMM YYYY, HH:mm Z', tz, 'es')")).toBe(
      'sábado 28 de marzo 2026, 11:30 +01:00',
    );
    expect(evaluate("format(addDays(now, 1), 'ddd YYYY-MM-DD hh:mm A Z')")).toBe(
      'Sun 2026-03-29 11:30 AM +02:00',
    );
  });

  it('handles zones without DST and explicit zones (America/Mexico_City stays at -06:00)', () => {
    const mx = { ...scope, tz: 'America/Mexico_City' };
    expect(evaluate("format(now, 'YYYY-MM-DD HH:mm Z')", mx)).toBe('2026-03-28 04:30 -06:00');
    expect(evaluate("format('2026-07-01T12:00:00Z', 'HH:mm Z')", mx)).toBe('06:00 -06:00');
    expect(evaluate('addDays(now, 1)', mx)).toBe('2026-03-29T10:30:00.000Z');
    expect(evaluate("date(now, 'America/Mexico_City').date + ' / ' + date(now, 'Asia/Tokyo').time")).toBe(
      '2026-03-28 / 19:30',
    );
    expect(() => evaluate("date(now, 'Mars/Olympus')")).toThrow(/unknown time zone/);
    expect(() => evaluate("date('mañana')")).toThrow(/not a date/);
  });

  it('stops an endless loop at the time limit, and the pool keeps working', () => {
    expect(() => evaluate('(() => { for (;;) {} })()')).toThrow(
      expect.objectContaining({ code: 'timeout', message: 'the expression ran longer than 50 ms' }),
    );
    expect(() => evaluate('Promise.resolve().then(() => { for (;;) {} })')).toThrow(
      expect.objectContaining({ code: 'timeout' }),
    );
    expect(evaluate('vars.total + 1')).toBe(101);
  });

  it('contains a memory bomb and rebuilds the isolate', () => {
    const bomb = new ExpressionPool({ timeoutMs: 5_000 });
    try {
      expect(() =>
        bomb.begin(scope).evaluate('(() => { const a = []; for (;;) a.push(new Array(1e6).fill(1)); })()'),
      ).toThrow(expect.objectContaining({ code: 'memory', message: 'the expression used more than 32 MB' }));
      expect(bomb.begin(scope).evaluate('date().date')).toBe('2026-03-28');
    } finally {
      bomb.dispose();
    }
  });

  it('gives no way to the host: no process, require or fetch, and the constructor chain stays inside', () => {
    expect(
      evaluate('[typeof process, typeof require, typeof fetch, typeof setTimeout, typeof this]'),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    expect(() => evaluate('process.exit(1)')).toThrow(/process is not defined/);
    expect(() => evaluate("globalThis.constructor.constructor('return process')()")).toThrow(
      /process is not defined/,
    );
    expect(() => evaluate("vars.constructor.constructor('return require')()('fs')")).toThrow(
      /require is not defined/,
    );
    expect(evaluate('[typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics]')).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('freezes built-ins so one expression cannot change what a later one sees', () => {
    expect(() => evaluate('Array.prototype.includes = () => true')).toThrow(/read only/);
    expect(() => evaluate('date = () => 1')).toThrow(/read only/);
    expect(() => evaluate('globalThis.leak = 1')).toThrow();
    expect(evaluate('[1].includes(2)')).toBe(false);
    expect(evaluate('typeof leak')).toBe('undefined');
  });

  it('refuses a result larger than the limit, naming the size', () => {
    const small = new ExpressionPool({ maxOutputBytes: 1_000 });
    try {
      expect(() => small.begin(scope).evaluate("'x'.repeat(5000)")).toThrow(
        expect.objectContaining({
          code: 'result',
          message: 'the result is 5002 characters of JSON; at most 1000 are kept',
        }),
      );
      expect(() => evaluate("'x'.repeat(1e6)")).toThrow(/at most 262144 are kept/);
    } finally {
      small.dispose();
    }
  });

  it('keeps a bounded cache of compiled expressions', () => {
    const tiny = new ExpressionPool({ cacheSize: 2 });
    try {
      const s = tiny.begin(scope);
      expect(
        ['vars.total + 1', 'vars.total + 2', 'vars.total + 3', 'vars.total + 1'].map(s.evaluate),
      ).toEqual([101, 102, 103, 101]);
    } finally {
      tiny.dispose();
    }
  });

  it('refuses work after dispose', () => {
    const closed = new ExpressionPool();
    closed.dispose();
    expect(() => closed.begin(scope).evaluate('1')).toThrow(/closed/);
  });
});
