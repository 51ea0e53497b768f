import { describe, expect, it } from 'vitest';
import { runCode } from '../src/index.js';

describe('isolated-vm runner', () => {
  it('returns the JSON result of the code, with the input copied in', async () => {
    expect(
      await runCode({
        code: 'return { total: input.items.reduce((a, b) => a + b, 0) }',
        input: { items: [1, 2, 3] },
      }),
    ).toEqual({
      total: 6,
    });
  });

  it('sees nothing of the host', async () => {
    expect(await runCode({ code: 'return [typeof process, typeof require, typeof fetch]' })).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('stops an endless loop at the time limit', async () => {
    await expect(runCode({ code: 'for (;;) {}', timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('stops code that allocates past the memory cap', async () => {
    await expect(
      runCode({
        code: 'const a = []; for (;;) a.push(new Array(1e6).fill(1));',
        memoryMb: 16,
        timeoutMs: 10_000,
      }),
    ).rejects.toMatchObject({ code: 'memory' });
  });

  it('reports script errors with their message', async () => {
    await expect(runCode({ code: 'throw new Error("nope")' })).rejects.toMatchObject({
      code: 'script',
      message: expect.stringContaining('nope'),
    });
  });
});

describe('isolated-vm runner: outputs', () => {
  it('refuses results larger than the limit', async () => {
    await expect(runCode({ code: 'return "x".repeat(2000)', maxOutputBytes: 1000 })).rejects.toMatchObject({
      code: 'result',
    });
    expect(await runCode({ code: 'return "x".repeat(10)', maxOutputBytes: 1000 })).toBe('xxxxxxxxxx');
  });
});
